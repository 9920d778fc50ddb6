// Service hosts of different test classes declare the same queue names on the broker; run the classes one after the
// other so no host consumes another class's messages (each class still gets its own database).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
