#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests drive: real PyTorch (python3-torch, for
# the emitted scheduler code), Neovim (a real LSP client), Chromium (the preview page) and a
# font for PNG plots. Skips what is already there; needs root (or sudo) and Debian's apt.
set -euo pipefail

need=()
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
[ -x /usr/bin/nvim ] || need+=(neovim)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -x /usr/bin/unzip ] || need+=(unzip)

if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "system packages: done"
