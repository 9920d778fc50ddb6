#!/bin/bash
# Container health probe without curl (the aspnet image has none): GET http://127.0.0.1:$PORT$PATH over
# bash's /dev/tcp, healthy on HTTP 200.   healthcheck [PATH (default /health/ready)] [PORT (default 8080)]
path=${1:-/health/ready} port=${2:-${ASPNETCORE_HTTP_PORTS:-8080}}
exec 3<>"/dev/tcp/127.0.0.1/${port%%[;,]*}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 5 _ status _ <&3 || exit 1
[[ $status == 200 ]]
