# The commands people type. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK := $(shell local/bin/jdk-home)
MVN := JAVA_HOME=$(JDK) ./mvnw -B -ntp
export AWS_REGION ?= us-east-1

.PHONY: help test build-java deps clean

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

test: deps ## every test: domain units, then the handlers on the real emulators
	@test -n "$(JDK)" || { echo "no JDK 21+ found"; exit 1; }
	$(MVN) verify
	@local/bin/test-summary

build-java: ## compile and package every module, no tests
	$(MVN) -DskipTests package

deps: node_modules/.installed ## the emulators, pinned by package-lock.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean: ## remove build output (keeps node_modules)
	$(MVN) -q clean
