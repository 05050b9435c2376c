# The commands people type. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK := $(shell local/bin/jdk-home)
MVN := JAVA_HOME=$(JDK) ./mvnw -B -ntp
VENV := .venv
SAM := SAM_CLI_TELEMETRY=0 $(VENV)/bin/sam
export AWS_REGION ?= us-east-1

.PHONY: help test lint build build-java lambda-artifacts deps clean

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

test: deps ## every test: domain units, then the handlers on the real emulators
	@test -n "$(JDK)" || { echo "no JDK 21+ found"; exit 1; }
	$(MVN) verify
	@local/bin/test-summary

lint: $(VENV)/.installed ## sam validate --lint (cfn-lint) on template.yaml
	$(SAM) validate --lint --region $(AWS_REGION)

build: $(VENV)/.installed ## sam build: every function's deployment package in .aws-sam/build, no Docker, no tests
	$(SAM) build --build-in-source
	@local/bin/artifact-sizes .aws-sam/build

lambda-artifacts: # called by functions/<module>/Makefile during sam build
	@test -n "$(MODULE)" -a -n "$(ARTIFACTS_DIR)" || { echo "usage: make lambda-artifacts MODULE=capture ARTIFACTS_DIR=dir"; exit 2; }
	$(MVN) -q -pl functions/$(MODULE) -am -DskipTests package dependency:copy-dependencies \
	  -DincludeScope=runtime -DoutputDirectory="$(ARTIFACTS_DIR)/lib"
	cp functions/$(MODULE)/target/$(MODULE)-*.jar "$(ARTIFACTS_DIR)/lib/"

$(VENV)/.installed: local/requirements-sam.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements-sam.txt
	@touch $@

build-java: ## compile and package every module, no tests
	$(MVN) -DskipTests package

deps: node_modules/.installed ## the emulators, pinned by package-lock.json

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean: ## remove build output (keeps node_modules)
	$(MVN) -q clean
