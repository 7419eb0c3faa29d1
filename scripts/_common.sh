# shellcheck shell=bash
# Shared helpers for scripts/start and scripts/test. Source this file; do not run it.
#
#   as_root CMD...              run CMD as root (directly when uid 0, else through sudo)
#   apt_install PKG...          install the Debian/Ubuntu packages that are missing
#   install_weasyprint_libs     system libraries and fonts WeasyPrint needs
#   ensure_venv REQ_FILE        .venv with Python >= 3.11, REQ_FILE installed, venv on PATH
#   ensure_postgres URL         start (installing if needed) a local PostgreSQL for URL
#   ensure_redis URL            start (installing if needed) a local Redis for URL
#
# Nothing here prompts: apt runs non-interactively and sudo is non-interactive without a tty.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${VENV_DIR:-$ROOT_DIR/.venv}"
MIN_PYTHON="3.11"

if [ -t 1 ]; then
    _BOLD=$'\033[1m' _RED=$'\033[31m' _YELLOW=$'\033[33m' _RESET=$'\033[0m'
else
    _BOLD="" _RED="" _YELLOW="" _RESET=""
fi

log() { printf '%s==> %s%s\n' "$_BOLD" "$*" "$_RESET"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '%sWARNING: %s%s\n' "$_YELLOW" "$*" "$_RESET" >&2; }
die() {
    printf '%sERROR: %s%s\n' "$_RED" "$*" "$_RESET" >&2
    exit 1
}

# --------------------------------------------------------------------------- root / apt

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if [ -t 0 ]; then
            sudo -- "$@"
        else
            # No terminal to type a password into: fail instead of hanging on a prompt.
            sudo -n -- "$@"
        fi
    else
        die "root rights are needed to run: $* (run as root or install sudo)"
    fi
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

_APT_UPDATED=0
apt_update_once() {
    [ "$_APT_UPDATED" -eq 1 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install the packages by hand"
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300
    _APT_UPDATED=1
}

# True when apt knows an installable version of PKG (runs apt-get update once if needed).
apt_has_candidate() {
    local candidate
    apt_update_once
    candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found; install these packages by hand: ${missing[*]}"
    apt_update_once
    log "Installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}"
}

# Pango + HarfBuzz subsetting for WeasyPrint, plus fonts with Vietnamese glyphs.
# libharfbuzz-subset0 is its own package on Debian 12 / Ubuntu 22.04 and later;
# older releases ship the subsetter inside libharfbuzz0b.
install_weasyprint_libs() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        warn "not a Debian/Ubuntu system: install Pango >= 1.44, HarfBuzz and the Liberation" \
            "fonts yourself (https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)"
        return 0
    fi
    local pkgs=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2)
    if pkg_installed libharfbuzz-subset0 || apt_has_candidate libharfbuzz-subset0; then
        pkgs+=(libharfbuzz-subset0)
    else
        pkgs+=(libharfbuzz0b)
    fi
    apt_install "${pkgs[@]}"
}

# --------------------------------------------------------------------------- Python venv

_python_ok() {
    "$1" -c "import sys; sys.exit(0 if sys.version_info >= (${MIN_PYTHON/./, }) else 1)" \
        >/dev/null 2>&1
}

# Hash of a requirements file together with the files it pulls in with -r / -c.
_requirements_digest() {
    "$VENV_DIR/bin/python" - "$1" <<'PY'
import hashlib
import pathlib
import sys

digest = hashlib.sha256()
seen = set()


def add(path):
    path = path.resolve()
    if path in seen:
        return
    seen.add(path)
    text = path.read_bytes()
    digest.update(str(path).encode() + b"\0" + text + b"\0")
    for line in text.decode("utf-8", "replace").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] in ("-r", "--requirement", "-c", "--constraint"):
            add(path.parent / parts[1])
        elif parts and parts[0].startswith(("--requirement=", "--constraint=")):
            add(path.parent / parts[0].split("=", 1)[1])


add(pathlib.Path(sys.argv[1]))
print(digest.hexdigest())
PY
}

_create_venv() {
    local py="$1" minor
    log "Creating virtual environment in ${VENV_DIR#"$ROOT_DIR"/}"
    if "$py" -m venv "$VENV_DIR"; then
        return 0
    fi
    # Debian/Ubuntu ship venv/ensurepip separately (python3-venv / python3.X-venv).
    rm -rf "$VENV_DIR"
    minor="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    if apt_has_candidate "python${minor}-venv"; then
        apt_install python3-venv "python${minor}-venv"
    else
        apt_install python3-venv
    fi
    "$py" -m venv "$VENV_DIR" || die "could not create $VENV_DIR with $py -m venv"
}

# ensure_venv REQUIREMENTS_FILE
ensure_venv() {
    local req="${1:?usage: ensure_venv REQUIREMENTS_FILE}" py stamp digest
    case "$req" in /*) ;; *) req="$ROOT_DIR/$req" ;; esac
    [ -f "$req" ] || die "requirements file not found: $req"

    if [ -x "$VENV_DIR/bin/python" ] && _python_ok "$VENV_DIR/bin/python"; then
        : # existing, working venv
    else
        # Look for the base interpreter outside the (possibly broken) venv itself.
        local search_path=":$PATH:"
        search_path="${search_path//:$VENV_DIR\/bin:/:}"
        search_path="${search_path#:}" search_path="${search_path%:}"
        py="$(PATH="$search_path" command -v "${PYTHON:-python3}")" ||
            die "python3 not found. Install Python ${MIN_PYTHON} or newer (Debian/Ubuntu:" \
                "apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11"
        if ! _python_ok "$py"; then
            die "Python ${MIN_PYTHON} or newer is required, but $(command -v "$py") is" \
                "$("$py" --version 2>&1). Install a newer Python and/or set" \
                "PYTHON=/path/to/python3.11 (or newer), then run this again."
        fi
        if [ -e "$VENV_DIR" ]; then
            warn "${VENV_DIR} is broken or too old; recreating it"
            rm -rf "$VENV_DIR"
        fi
        _create_venv "$py"
    fi

    export VIRTUAL_ENV="$VENV_DIR"
    export PATH="$VENV_DIR/bin:$PATH"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    hash -r

    stamp="$VENV_DIR/.stamp-$(basename "$req").sha256"
    digest="$(_requirements_digest "$req")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
        info "Python packages from $(basename "$req") are up to date"
        return 0
    fi
    log "Installing Python packages from $(basename "$req")"
    (cd "$(dirname "$req")" && "$VENV_DIR/bin/python" -m pip install -q -r "$req")
    printf '%s\n' "$digest" >"$stamp"
}

# --------------------------------------------------------------------------- services

# Sets URL_HOST and URL_PORT from a URL like scheme://user:pass@host:port/path.
parse_url_host_port() {
    local url="$1" default_port="$2" re='^[A-Za-z][A-Za-z0-9+.-]*://([^@/]*@)?(\[[^]]*\]|[^:/?#]*)(:([0-9]+))?'
    URL_HOST="" URL_PORT="$default_port"
    if [[ "$url" =~ $re ]]; then
        URL_HOST="${BASH_REMATCH[2]}"
        URL_HOST="${URL_HOST#[}" URL_HOST="${URL_HOST%]}"
        [ -n "${BASH_REMATCH[4]}" ] && URL_PORT="${BASH_REMATCH[4]}"
    fi
    [ -n "$URL_HOST" ] || URL_HOST="127.0.0.1"
}

is_local_host() {
    case "$1" in 127.* | localhost | ::1 | "") return 0 ;; *) return 1 ;; esac
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1; }

postgres_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$1" -p "$2" -t 3
    else
        tcp_open "$1" "$2"
    fi
}

# ensure_postgres DATABASE_URL: make sure a PostgreSQL server answers at the URL's host:port.
# For a local address it installs the Debian package when missing and starts the newest
# cluster when it is not accepting connections. Remote servers are only checked.
ensure_postgres() {
    local url="$1" host port installed_now=0 version i
    parse_url_host_port "$url" 5432
    host="$URL_HOST" port="$URL_PORT"

    if ! is_local_host "$host"; then
        postgres_ready "$host" "$port" || warn "PostgreSQL at $host:$port does not answer"
        return 0
    fi

    if ! pkg_installed postgresql; then
        if postgres_ready "$host" "$port"; then
            info "a PostgreSQL server (not the Debian package) already listens on $host:$port"
            apt_install postgresql-client
            return 0
        fi
        apt_install postgresql
        installed_now=1
    fi

    if postgres_ready "$host" "$port"; then
        info "PostgreSQL is accepting connections on $host:$port"
    else
        # shellcheck disable=SC2012 # version folders are plain numbers
        version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
        [ -n "$version" ] || die "postgresql is installed but /etc/postgresql has no cluster"
        log "Starting PostgreSQL $version (cluster main)"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for ((i = 0; i < 30; i++)); do
            postgres_ready "$host" "$port" && break
            sleep 1
        done
        postgres_ready "$host" "$port" ||
            die "PostgreSQL did not accept connections on $host:$port within 30 s" \
                "(see /var/log/postgresql/)"
        info "PostgreSQL is accepting connections on $host:$port"
    fi

    if [ "$installed_now" -eq 1 ]; then
        # A fresh Debian install authenticates TCP clients by password: give the
        # postgres role the password the default DATABASE_URL uses.
        log "Setting the password of the postgres role"
        (cd / && as_root su postgres -c "psql -q -c \"ALTER ROLE postgres PASSWORD 'postgres'\"")
    fi
}

# ensure_database DATABASE_URL: create the URL's database when it does not exist yet.
# (Django's test runner creates test_<name> itself; this keeps `manage.py check` and
# `makemigrations --check` from warning about a missing database.)
ensure_database() {
    local url="$1" base db maint exists
    command -v psql >/dev/null 2>&1 || return 0
    base="${url%%\?*}"
    db="${base##*/}"
    [ -n "$db" ] && [ "$db" != "$base" ] || return 0
    maint="${base%/*}/postgres"
    exists="$(psql "$maint" -XtAc "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null)" ||
        {
            warn "could not query the databases on the PostgreSQL server of DATABASE_URL"
            return 0
        }
    if [ "$exists" != "1" ]; then
        log "Creating database $db"
        psql "$maint" -Xq -c "CREATE DATABASE \"$db\"" || warn "could not create database $db"
    fi
}

redis_ping() {
    local host="$1" port="$2" reply
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]
    else
        # No redis-cli yet: speak the protocol over bash's /dev/tcp.
        reply="$(
            exec 2>/dev/null
            exec 3<>"/dev/tcp/$host/$port" || exit 1
            printf 'PING\r\n' >&3
            IFS= read -r -t 3 line <&3 && printf '%s' "$line"
        )" || return 1
        [ "${reply%$'\r'}" = "+PONG" ]
    fi
}

# ensure_redis REDIS_URL: make sure a Redis server answers PING at the URL's host:port.
ensure_redis() {
    local url="$1" host port i
    parse_url_host_port "$url" 6379
    host="$URL_HOST" port="$URL_PORT"
    [ "$host" = "localhost" ] && host="127.0.0.1"

    if ! is_local_host "$host"; then
        redis_ping "$host" "$port" || warn "Redis at $host:$port does not answer"
        return 0
    fi

    if ! pkg_installed redis-server; then
        if redis_ping "$host" "$port"; then
            info "a Redis server (not the Debian package) already answers on $host:$port"
            return 0
        fi
        apt_install redis-server
    fi

    if redis_ping "$host" "$port"; then
        info "Redis answers on $host:$port"
        return 0
    fi
    log "Starting Redis on 127.0.0.1:$port"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" \
        --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for ((i = 0; i < 30; i++)); do
        redis_ping "$host" "$port" && break
        sleep 1
    done
    redis_ping "$host" "$port" ||
        die "Redis did not answer on $host:$port within 30 s (see /var/log/redis/ci.log)"
    info "Redis answers on $host:$port"
}
