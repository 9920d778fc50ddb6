using System.Reflection;
using BenchmarkDotNet.Running;

// The executing assembly, not typeof(Program): referenced service projects have a top-level Program of their own.
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
