#!/usr/bin/env bash
# Installs what the end-to-end tests drive: Debian's PyTorch 1.13 (python3-torch, for the
# emitted scheduler code), Neovim (a real LSP client), Chromium (the preview page) and a
# font for PNG plots; then, for the `python3` first on PATH, torch 2.x (CPU), JAX, optax,
# Keras 3 and Lightning from the machine's Python package index. Skips what is already
# there; needs root (or sudo) and Debian's apt.
set -euo pipefail

need=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
[ -x /usr/bin/nvim ] || need+=(neovim)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -x /usr/bin/unzip ] || need+=(unzip)

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
else
  echo "system packages: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  echo "system packages: done"
fi

# Python packages for the `python3` on PATH (not Debian's /usr/bin/python3, which keeps
# torch 1.13). `--retries 0` skips the public index, which this network cannot reach; the
# pinned CPU build of torch is the one that loads without a GPU.
py="${ANNEAL_PYTHON_TORCH2:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
  echo "python packages: no $py on PATH, skipped"
elif KERAS_BACKEND=jax "$py" -c 'import torch, jax, optax, lightning, keras, transformers, accelerate' >/dev/null 2>&1; then
  echo "python packages: all present"
else
  # transformers' Trainer needs accelerate on PyTorch.
  echo "python packages: installing torch 2.x (CPU), jax, optax, keras, lightning, transformers, accelerate"
  "$py" -m pip install -q --retries 0 torch==2.13.0+cpu jax optax keras lightning transformers accelerate
  echo "python packages: done"
fi
