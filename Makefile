# The two commands of the README, each doing the set-up it needs first:
#   make demo   - the depth demo on the embedded synthetic data set
#   make demo-seg - the segmentation demo (traditional vs inverted)
#   make demo-colourisation, make demo-sat2map - the image-translation demos
#   make demo-refilled - REFILLED on scikit-learn's digits (real data)
#   make demo-two-teachers - the depth demo with two teachers at once
#   make study, make study-quick - the cross-task study (docs/advanced/cross_task_study.md)
#   make study-seg - the same study with the segmentation student
#   make demo-fashion - one seed of baseline, traditional and inverted on
#                 Fashion-MNIST's real images, and where the full study stands
#   make study-fashion, make study-fashion-quick - the pre-registered study on
#                 Fashion-MNIST's real images (docs/advanced/fashion_study.md);
#                 make study-fashion-dense its segmentation variant
#   make test   - the test suite
#   make test-py312 - the suite on CI's second stack: Python 3.12 with today's
#                 numpy, transformers and huggingface_hub (requirements/ci_node.txt,
#                 in .venv-py312), mmxtkd installed onto it with --current-env
#   make docs   - the documentation site (site/, from docs/ and mkdocs.yml)
# The set-up (tools/install.sh) is idempotent: into ./.venv, mmcv's compiled
# ops built once per machine and cached in ~/.cache/mmxtkd.
VENV ?= .venv
PY := $(VENV)/bin/python
export PATH := $(abspath $(VENV))/bin:$(PATH)

# Python 3.12: pyenv's when there is one, else python3.12 on PATH
PYTHON312 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3.12)
NODE_VENV ?= .venv-py312

.PHONY: install test test-py312 demo demo-seg demo-colourisation demo-sat2map demo-refilled \
	demo-two-teachers study study-quick study-seg demo-fashion study-fashion study-fashion-dense study-fashion-quick docs

install:
	bash tools/install.sh --venv $(VENV) --editing

test: install
	$(PY) -m pytest tests -q -p no:cacheprovider

$(NODE_VENV)/bin/python:
	$(PYTHON312) -m venv $(NODE_VENV)
	$(NODE_VENV)/bin/python -m pip install -r requirements/ci_node.txt

test-py312: $(NODE_VENV)/bin/python
	PATH=$(abspath $(NODE_VENV))/bin:$$PATH bash tools/install.sh --current-env
	PATH=$(abspath $(NODE_VENV))/bin:$$PATH $(NODE_VENV)/bin/python -m pytest tests -q -p no:cacheprovider

demo: install
	$(PY) tools/demo.py

demo-seg: install
	$(PY) tools/demo.py --task seg

demo-colourisation: install
	$(PY) tools/demo.py --task colourisation

demo-sat2map: install
	$(PY) tools/demo.py --task sat2map

demo-refilled: install
	$(PY) tools/demo.py --task refilled

demo-two-teachers: install
	$(PY) tools/demo.py --task two-teachers

study: install
	$(PY) projects/cross_task_study/run_study.py

study-quick: install
	$(PY) projects/cross_task_study/run_study.py --quick

study-seg: install
	$(PY) projects/cross_task_study/run_study.py --student seg

demo-fashion: install
	$(PY) projects/fashion_study/run_study.py --demo

study-fashion: install
	$(PY) projects/fashion_study/run_study.py

study-fashion-dense: install
	$(PY) projects/fashion_study/run_study.py --dense

study-fashion-quick: install
	$(PY) projects/fashion_study/run_study.py --quick

docs: install
	$(PY) -m pip install --quiet -r requirements/docs.txt
	$(PY) tools/misc/write_api_docs.py --check
	$(VENV)/bin/mkdocs build --strict
