# User-facing targets (see README.md):
#   make run    install what is missing, start PostgreSQL + RabbitMQ, build, run the three services in
#               the foreground with their logs; Ctrl-C stops everything
#   make up     the same system in the background; returns once every /readyz answers
#   make down   stop what `make up` started
#   make test   install what is missing, start a separate test instance of the infrastructure,
#               run `swift test` (unit, integration and end-to-end tests), stop it again
#   make bench  release build, a separate benchmark instance of the infrastructure and services,
#               every benchmark scenario (BENCH_ARGS="fanout --webhooks 100,1000" picks some;
#               BENCH_CHART=bench.png also draws a chart)
#   make bench-micro  micro-benchmarks of the hot pure paths (google/swift-benchmark), release build
#   make format formats every Swift file by .swift-format (`make test` fails on a file it would change)
.PHONY: run up down test bench bench-micro build install format

run:
	@bash deploy/local/system.sh run

up:
	@bash deploy/local/system.sh up

down:
	@bash deploy/local/system.sh down

test:
	@bash deploy/local/test.sh

bench:
	@bash deploy/local/bench.sh $(BENCH_ARGS)

bench-micro: install
	swift run -c release webhooks-micro $(BENCH_ARGS)

build: install
	swift build

install:
	@bash deploy/local/install.sh

format:
	swift format format --in-place --parallel --recursive Package.swift Services Shared Tests Benchmarks
