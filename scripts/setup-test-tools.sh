#!/usr/bin/env bash
# Installs the external tools the tests use, where they are missing (Debian/Ubuntu):
# chromium (UI tests), poppler-utils (pdfsig, pdftotext, pdftoppm), LibreOffice Calc
# (opens the workbook), openssl, fonts, and NSS tools (a trust store for pdfsig).
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need chromium chromium
need pdfsig poppler-utils
need pdftotext poppler-utils
need pdftoppm poppler-utils
need soffice libreoffice-calc
need openssl openssl
need certutil libnss3-tools
need setpriv util-linux
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-test-tools: all external test tools are present"
  exit 0
fi
# shellcheck disable=SC2207
pkgs=($(printf '%s\n' "${missing[@]}" | sort -u))
echo "setup-test-tools: installing ${pkgs[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-test-tools: need root or sudo to install ${pkgs[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
command -v apt-get >/dev/null 2>&1 || { echo "setup-test-tools: no apt-get; install ${pkgs[*]} by hand" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
echo "setup-test-tools: done"
