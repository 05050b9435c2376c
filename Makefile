# The commands people type. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK := $(shell local/bin/jdk-home)
MVN := JAVA_HOME=$(JDK) ./mvnw -B -ntp
VENV := .venv
# checkov has a virtualenv of its own: it pins boto3 to a version SAM CLI cannot run with.
CHECKOV_VENV := .venv-checkov
SAM := SAM_CLI_TELEMETRY=0 $(VENV)/bin/sam
export AWS_REGION ?= us-east-1

JAVA := $(JDK)/bin/java
SOURCES := $(shell find pom.xml functions local bench -path '*/target' -prune -o -path '*/node_modules' -prune -o \
             -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \) -print)
# What goes into the functions' deployment packages (the acceptance tests do not).
FUNCTION_SOURCES := $(shell find pom.xml functions -path '*/target' -prune -o -path functions/acceptance -prune -o \
             -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name Makefile \) -print)
# sam build writes the built template last: its age is the age of the whole build.
LAMBDA_BUILD := .aws-sam/build/template.yaml
# The AWS Lambda Runtime Interface Emulator (Go) and the Java runtime interface client (Maven): how the
# local stack, make invoke and the tests run the built functions, as Lambda's java21 runtime does.
RIE := .tools/bin/aws-lambda-rie
RUNTIME_CLIENT := local/lambda-runtime/target/lib/.installed
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
LOCAL_CP = local/target/classes:$$(cat local/target/classpath.txt)
BENCH_CP = bench/target/classes:$$(cat bench/target/classpath.txt)

.PHONY: help run stop reset token invoke backfill-indexes metrics test chromium bench bench-list bench-clients web screens deploy-desk lint build build-java lambda-artifacts lambda-runtime deps clean

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

run: deps web/dist/index.html local/target/classpath.txt $(LAMBDA_BUILD) lambda-runtime ## the whole service on this machine, seeded: API :3000, inbox :8005 (Ctrl-C stops it)
	@$(JAVA) -XX:TieredStopAtLevel=1 -cp "$(LOCAL_CP)" mx.prepaidkeys.local.DevStack

stop: ## stop a local stack started by `make run` in another terminal
	@if [ -f .local/run.pid ] && kill -0 $$(cat .local/run.pid) 2>/dev/null; then \
	  kill $$(cat .local/run.pid); while kill -0 $$(cat .local/run.pid 2>/dev/null) 2>/dev/null; do sleep 0.2; done; echo "stopped"; \
	else echo "no local stack is running"; fi

reset: ## wipe the local stack's data (.local/); the next `make run` seeds again
	@if [ -f .local/run.pid ] && kill -0 $$(cat .local/run.pid) 2>/dev/null; then echo "the local stack is running: make stop first"; exit 1; fi
	rm -rf .local

token: local/target/classpath.txt ## print an ID token of a demo user: make token USER=ana.lopez
	@test "$(origin USER)" = "command line" || { echo "usage: make token USER=ana.lopez (users: .local/stack.json)"; exit 2; }
	@$(JAVA) -XX:TieredStopAtLevel=1 -cp "$(LOCAL_CP)" mx.prepaidkeys.local.DevTools token "$(USER)"

invoke: local/target/classpath.txt $(LAMBDA_BUILD) lambda-runtime ## run a function's built artifact under the Lambda runtime on a sample event, against the running stack: make invoke FN=CaptureFunction EVENT=events/capture-ok.json
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=CaptureFunction EVENT=events/capture-ok.json"; exit 2; }
	@$(JAVA) -XX:TieredStopAtLevel=1 -cp "$(LOCAL_CP)" mx.prepaidkeys.local.DevTools invoke "$(FN)" "$(EVENT)"

backfill-indexes: local/target/classpath.txt ## index entries for keys and batches written before their index (once after deploying it): TABLE=... AWS_REGION=... with the default AWS credentials, else the running `make run` stack
	@$(JAVA) -XX:TieredStopAtLevel=1 -cp "$(LOCAL_CP)" mx.prepaidkeys.local.DevTools backfill-indexes $(if $(TABLE),"$(TABLE)" "$(AWS_REGION)" $(if $(ENDPOINT),"$(ENDPOINT)"))

metrics: local/target/classpath.txt ## what the running local stack's functions measured: their metric lines (CloudWatch's embedded metric format) summed up per metric and function
	@$(JAVA) -XX:TieredStopAtLevel=1 -cp "$(LOCAL_CP)" mx.prepaidkeys.local.DevTools metrics

# Built only when a source changed: a second `make run` starts without Maven.
local/target/classpath.txt bench/target/classpath.txt: $(SOURCES)
	$(MVN) -q -pl $(@D:/target=) -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	@touch $@

bench-list: deps bench/target/classpath.txt ## the list at 100 and at 100,000 keys, side by side: time and read capacity per page
	@$(JAVA) -cp "$(BENCH_CP)" mx.prepaidkeys.bench.ListBenchmark $(KEYS)

bench-clients: deps bench/target/classpath.txt ## "Clientes" at 10,000 clients of one distributor: time and read capacity of a directory page and of searches
	@$(JAVA) -cp "$(BENCH_CP)" mx.prepaidkeys.bench.ClientSearchBenchmark $(CLIENTS)

bench: deps $(LAMBDA_BUILD) lambda-runtime bench/target/classpath.txt ## every function against its plain-Java floor: cold, primed, warm, classes, RSS, zip (about 20 min; FN=CaptureFunction,ListFunction STARTS=10 WARM=2000)
	@FN="$(FN)" STARTS="$(or $(STARTS),10)" WARM="$(or $(WARM),2000)" $(JAVA) -cp "$(BENCH_CP)" mx.prepaidkeys.bench.StartBenchmark

invariants: local/target/classpath.txt ## check a table's invariants, read-only (Scan, Query): TABLE=... AWS_REGION=... with the default AWS credentials, else the running `make run` stack
	@if [ -n "$(TABLE)" ]; then \
	  $(JAVA) -cp "$(LOCAL_CP)" mx.prepaidkeys.store.InvariantsCli --table "$(TABLE)" --region "$(AWS_REGION)" \
	    $(if $(ENDPOINT),--endpoint "$(ENDPOINT)") $(if $(STUCK_AFTER_MINUTES),--stuck-after-minutes $(STUCK_AFTER_MINUTES)); \
	else \
	  test -f .local/stack.json || { echo "usage: make invariants TABLE=prepaid-keys-prod AWS_REGION=us-east-1 (or start the local stack: make run)"; exit 2; }; \
	  $(JAVA) -cp "$(LOCAL_CP)" mx.prepaidkeys.store.InvariantsCli $$(python3 -c 'import json; s = json.load(open(".local/stack.json")); \
	    print("--table", s["dynamodb"]["tableName"], "--endpoint", s["dynamodb"]["endpoint"], "--ses-store", s["ses"]["endpoint"] + "/store")') \
	    $(if $(STUCK_AFTER_MINUTES),--stuck-after-minutes $(STUCK_AFTER_MINUTES)); \
	fi

# Gatling runs in bench/load only, in a JVM of its own that starts its own stack on free loopback ports.
# Two instances per function: on two cores more JVMs add cold starts, not throughput (see bench/load-report.md).
LOAD_ENV = LOAD_SECONDS="$(LOAD_SECONDS)" LOAD_RATE="$(LOAD_RATE)" LOAD_PEAK="$(LOAD_PEAK)" LOAD_DISTRIBUTORS="$(LOAD_DISTRIBUTORS)" \
	LOAD_USERS="$(LOAD_USERS)" CHAOS="$(CHAOS)" LAMBDA_CONCURRENCY="$(or $(LAMBDA_CONCURRENCY),2)"

load: deps $(LAMBDA_BUILD) lambda-runtime ## a business day and its month-end peak under Gatling, invariants checked after; writes bench/load-report.md (about 5 min; LOAD_SECONDS=150 LOAD_RATE=6 LOAD_PEAK=2.5)
	@rm -f bench/load/target/load-failed
	@set -o pipefail; $(LOAD_ENV) $(MVN) -pl bench/load -am verify -DskipTests -Dgatling.skip=false 2>&1 \
	  | grep --line-buffered -v -E '^\[INFO\]|^\[WARNING\] JAR will be empty|^WARNING: '
	@test ! -f bench/load/target/load-failed || { echo "The run broke an invariant or an API promise: see bench/load-report.md"; exit 1; }

chaos: ## make load with faults injected during the run, the invariants checked after each; adds the faults table to bench/load-report.md (about 7 min)
	@$(MAKE) --no-print-directory load CHAOS=1

# chromium first: a machine that cannot have it stops before minutes of builds.
test: chromium deps web/dist/index.html $(LAMBDA_BUILD) lambda-runtime ## every test: domain units, the functions' built artifacts under the Lambda runtime, the handlers on the real emulators, the desk in Chromium
	@test -n "$(JDK)" || { echo "no JDK 21+ found"; exit 1; }
	$(MVN) verify
	@local/bin/test-summary

chromium: ## Debian's Chromium for the desk's browser tests: installed with apt-get when missing, if this user may (root, or sudo without a password)
	@local/bin/ensure-chromium

lint: $(VENV)/.installed $(CHECKOV_VENV)/.installed ## template.yaml: sam validate --lint (cfn-lint), cfn-lint's serverless rules, checkov (its tally last)
	$(SAM) validate --lint --region $(AWS_REGION)
	$(VENV)/bin/cfn-lint template.yaml --append-rules cfn_lint_serverless.rules
	@# Offline: --skip-download keeps checkov from fetching guidelines; each finding is fixed or skipped in template.yaml with its reason.
	@mkdir -p target
	@$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --skip-download --compact --quiet > target/checkov.txt \
	  || { cat target/checkov.txt; exit 1; }
	@grep -m1 'Passed checks' target/checkov.txt | sed 's/^/checkov: /'

build: $(VENV)/.installed ## sam build: every function's deployment package in .aws-sam/build, no Docker, no tests
	$(SAM) build --build-in-source
	@touch $(LAMBDA_BUILD)
	@local/bin/artifact-sizes .aws-sam/build

# What make run, make invoke and make test run: built again only when a function's source changed.
$(LAMBDA_BUILD): $(FUNCTION_SOURCES) template.yaml | $(VENV)/.installed
	$(SAM) build --build-in-source
	@touch $@

lambda-runtime: $(RIE) $(RUNTIME_CLIENT) ## the Lambda Runtime Interface Emulator and the Java runtime client, pinned in local/lambda-runtime

$(RIE): local/lambda-runtime/go.mod local/lambda-runtime/go.sum
	cd local/lambda-runtime && GOBIN=$(CURDIR)/.tools/bin go install tool

$(RUNTIME_CLIENT): local/lambda-runtime/pom.xml
	$(MVN) -q -pl local/lambda-runtime package
	@touch $@

lambda-artifacts: target/lambda-build.stamp # called by functions/<module>/Makefile during sam build
	@test -n "$(MODULE)" -a -n "$(ARTIFACTS_DIR)" || { echo "usage: make lambda-artifacts MODULE=api ARTIFACTS_DIR=dir"; exit 2; }
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(MODULE)/target/lambda-lib/*.jar functions/$(MODULE)/target/$(MODULE)-*.jar "$(ARTIFACTS_DIR)/lib/"

# One reactor build for every function (sam build asks once per function): each module's jar and
# its runtime dependencies in target/lambda-lib.
target/lambda-build.stamp: $(SOURCES)
	$(MVN) -q -DskipTests package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lambda-lib
	@mkdir -p target && touch $@

$(CHECKOV_VENV)/.installed: local/requirements-checkov.txt
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements-checkov.txt
	@touch $@

$(VENV)/.installed: local/requirements-sam.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r local/requirements-sam.txt
	@touch $@

build-java: ## compile and package every module, no tests
	$(MVN) -DskipTests package

deps: node_modules/.installed web/node_modules/.installed ## the emulators and the desk's tools, pinned by package-lock.json files

web: web/dist/index.html ## build the desk (web/dist), served by make run at http://127.0.0.1:3000/

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run -s build

deploy-desk: web/dist/index.html ## upload the desk to a stack deployed with HostDesk=true: make deploy-desk STACK=prepaid-keys-dev
	@STACK="$(STACK)" local/bin/deploy-desk

screens: ## copy the desk's screenshots of the last make test to docs/screens
	mkdir -p docs/screens && cp functions/acceptance/target/screens/*.png docs/screens/

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean: ## remove build output (keeps node_modules)
	$(MVN) -q clean
