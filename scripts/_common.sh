# Shared by scripts/demo and scripts/test: system packages and the virtualenv.
# Sourced, not run.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TEAMCASE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Install Debian/Ubuntu packages that are missing; as root directly, otherwise
# with sudo; if neither works, say exactly what to run.
need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  say "Installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd
  else
    echo "These system packages are missing. Run this, then start again:" >&2
    echo "  sudo apt-get update && sudo $cmd" >&2
    exit 1
  fi
}

# WeasyPrint (PDFs) needs pango; DejaVu is the font the PDFs use.
WEASYPRINT_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

make_venv() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "teamcase needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1)." >&2
    echo "Set PYTHON=/path/to/python3.11 and start again." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
      need_debs python3-venv
    fi
    say "Creating a virtual environment in $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
}

# pip install "$@" into the virtualenv with every package pinned by
# constraints.txt. A package the install brought that the file does not pin
# (a new dependency: run scripts/lock) fails CI and warns elsewhere, where a
# developer's own extras may sit in the virtualenv.
pip_install_pinned() {
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$ROOT/constraints.txt" "$@"
  local unpinned
  unpinned=$("$VENV/bin/python" -m pip freeze --disable-pip-version-check --exclude teamcase \
    | grep -vxF -f <(grep -v '^#' "$ROOT/constraints.txt") || true)
  if [ -n "$unpinned" ]; then
    echo "Installed but not pinned by constraints.txt (regenerate it with scripts/lock):" >&2
    echo "$unpinned" | sed 's/^/  /' >&2
    if [ -n "${CI:-}" ]; then exit 1; fi
  fi
}
