#!/bin/sh
# Installs k3s (the TypeScript K3s) as K3s's get.k3s.io script does: the binary for this machine's
# architecture, kubectl/crictl/ctr symlinks, k3s-killall.sh and an uninstall script, an environment file
# and a systemd unit (or an OpenRC service), then enables and starts it.
#
# Usage:
#   INSTALL_K3S_BINARY=dist ./install.sh                                  # a server, from a local build
#   K3S_URL=https://server:6443 K3S_TOKEN=xxx INSTALL_K3S_BINARY=dist ./install.sh    # an agent
#   INSTALL_K3S_EXEC="--disable=traefik" ./install.sh
#   ./install.sh server --disable=traefik        # arguments after the command go to the service too
#
# Environment variables, as K3s documents them:
#   - K3S_*, CONTAINERD_*, NO_PROXY/HTTP_PROXY/HTTPS_PROXY
#     Written to the service's environment file. K3S_URL without a command in INSTALL_K3S_EXEC makes the
#     command "agent", and then K3S_TOKEN or K3S_TOKEN_FILE is required.
#   - INSTALL_K3S_EXEC or script arguments
#     The command and flags the service runs (default "server", or "agent" with K3S_URL).
#   - INSTALL_K3S_SKIP_DOWNLOAD=true   use the k3s already in the bin dir.
#   - INSTALL_K3S_SYMLINK=skip|force   skip the kubectl/crictl/ctr links, or overwrite commands found in
#     PATH; by default a link is made only where the command is not installed.
#   - INSTALL_K3S_SKIP_ENABLE=true     neither enable nor start the service.
#   - INSTALL_K3S_SKIP_START=true      enable the service but do not start it.
#   - INSTALL_K3S_FORCE_RESTART=true   restart the service even when nothing changed.
#   - INSTALL_K3S_VERSION              release to download (with GITHUB_URL).
#   - INSTALL_K3S_BIN_DIR              where k3s, the links and the scripts go (default /usr/local/bin).
#   - INSTALL_K3S_SYSTEMD_DIR          where the unit and its env file go (default /etc/systemd/system).
#   - INSTALL_K3S_NAME                 service name k3s-<name> (default k3s for a server, k3s-<command>).
#   - INSTALL_K3S_TYPE                 the unit's Type (default exec: k3s does not send sd_notify READY=1,
#                                      so K3s's Type=notify would keep `systemctl start` waiting forever).
#   - GITHUB_URL                       releases URL; downloads <GITHUB_URL>/download/<INSTALL_K3S_VERSION>/.
#
# Our additions (not in K3s's script):
#   - INSTALL_K3S_BINARY   a local k3s binary to install, or a folder holding k3s-amd64/k3s-arm64 (dist/).
#   - INSTALL_K3S_URL      a release folder URL holding k3s-<arch> and sha256sum-<arch>.txt (the layout
#                          GITHUB_URL/download/<version>/ has); the download is checked against the sum.
#   - INSTALL_K3S_ROOT     a root prefix: every file is written under it and every path inside the written
#                          files points under it, and no service is enabled or started (for tests and
#                          image builds). The uninstall script then removes only what is under it.
# The release assets are named like dist/: k3s-amd64, k3s-arm64 (K3s names its amd64 asset plain k3s).
set -e
set -o noglob

info() { echo '[INFO] ' "$@"; }
warn() { echo '[WARN] ' "$@" >&2; }
fatal() {
    echo '[ERROR] ' "$@" >&2
    exit 1
}

ROOT=${INSTALL_K3S_ROOT%/}

# --- single-quote each argument for a shell or a systemd command line ---
quote() {
    for arg in "$@"; do
        printf "'%s'\n" "$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")"
    done
}

# --- the service's command line: one quoted argument per continued line ---
quote_indent() {
    printf ' \\\n'
    for arg in "$@"; do
        printf '\t%s \\\n' "$(quote "$arg")"
    done
}

# --- escape double quotes, for OpenRC's command_args ---
escape_dq() {
    printf '%s' "$@" | sed -e 's/"/\\"/g'
}

# --- escape what eval would expand or run in INSTALL_K3S_EXEC (noglob covers * ? [), keeping quotes ---
escape() {
    printf '%s' "$@" | sed -e 's/\([$`\\()&;|<>#~]\)/\\\1/g'
}

# --- find a command in PATH, inside the root when installing into one ---
find_command() {
    if [ -z "${ROOT}" ]; then
        command -v "$1" 2>/dev/null || true
        return
    fi
    (
        IFS=:
        for dir in ${PATH}; do
            if [ -n "${dir}" ] && [ -x "${ROOT}${dir}/$1" ]; then
                echo "${ROOT}${dir}/$1"
                return
            fi
        done
    )
}

# --- systemd or OpenRC, as the installed system runs them ---
verify_system() {
    if [ -x "${ROOT}/sbin/openrc-run" ]; then
        HAS_OPENRC=true
        return
    fi
    if [ -x "${ROOT}/bin/systemctl" ] || [ -n "${ROOT}" ] || command -v systemctl >/dev/null 2>&1; then
        HAS_SYSTEMD=true
        return
    fi
    fatal 'Can not find systemd or openrc to use as a process supervisor for k3s'
}

verify_k3s_url() {
    case "${K3S_URL}" in
        "" | https://*) ;;
        *) fatal "Only https:// URLs are supported for K3S_URL (have ${K3S_URL})" ;;
    esac
}

setup_env() {
    case "$1" in
        -* | "")
            if [ -z "${K3S_URL}" ]; then
                CMD_K3S=server
            else
                if [ -z "${K3S_TOKEN}" ] && [ -z "${K3S_TOKEN_FILE}" ]; then
                    fatal "Defaulted k3s exec command to 'agent' because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined."
                fi
                CMD_K3S=agent
            fi
            ;;
        *)
            CMD_K3S=$1
            shift
            ;;
    esac
    verify_k3s_url
    CMD_K3S_EXEC="${CMD_K3S}$(quote_indent "$@")"

    if [ -n "${INSTALL_K3S_NAME}" ]; then
        SYSTEM_NAME=k3s-${INSTALL_K3S_NAME}
    elif [ "${CMD_K3S}" = server ]; then
        SYSTEM_NAME=k3s
    else
        SYSTEM_NAME=k3s-${CMD_K3S}
    fi
    case "${SYSTEM_NAME}" in
        *[!A-Za-z0-9.:@-]*) fatal "Invalid characters for system name: ${SYSTEM_NAME}" ;;
    esac

    SUDO=sudo
    if [ "$(id -u)" -eq 0 ] || [ -n "${ROOT}" ]; then
        SUDO=
    fi

    SYSTEMD_TYPE=${INSTALL_K3S_TYPE:-exec}

    if [ -n "${INSTALL_K3S_BIN_DIR}" ]; then
        BIN_DIR=${ROOT}${INSTALL_K3S_BIN_DIR}
    else
        BIN_DIR=${ROOT}/usr/local/bin
        # --- /usr/local/bin may be read-only (e.g. Fedora CoreOS); K3s then uses /opt/bin ---
        if [ -z "${ROOT}" ] && ! $SUDO sh -c "touch ${BIN_DIR}/k3s-ro-test && rm -f ${BIN_DIR}/k3s-ro-test" 2>/dev/null; then
            if [ -d /opt/bin ]; then
                BIN_DIR=/opt/bin
            fi
        fi
    fi
    SYSTEMD_DIR=${ROOT}${INSTALL_K3S_SYSTEMD_DIR:-/etc/systemd/system}

    SERVICE_K3S=${SYSTEM_NAME}.service
    UNINSTALL_K3S_SH=${BIN_DIR}/${SYSTEM_NAME}-uninstall.sh
    KILLALL_K3S_SH=${BIN_DIR}/k3s-killall.sh

    if [ "${HAS_SYSTEMD}" = true ]; then
        FILE_K3S_SERVICE=${SYSTEMD_DIR}/${SERVICE_K3S}
        FILE_K3S_ENV=${SYSTEMD_DIR}/${SERVICE_K3S}.env
    else
        FILE_K3S_SERVICE=${ROOT}/etc/init.d/${SYSTEM_NAME}
        FILE_K3S_ENV=${ROOT}/etc/rancher/k3s/${SYSTEM_NAME}.env
    fi

    PRE_INSTALL_HASHES=$(get_installed_hashes)
}

# --- Go's architecture names, as K3s's release assets use them ---
setup_verify_arch() {
    if [ -z "${ARCH}" ]; then
        ARCH=$(uname -m)
    fi
    case ${ARCH} in
        amd64 | x86_64) ARCH=amd64 ;;
        arm64 | aarch64) ARCH=arm64 ;;
        *) fatal "Unsupported architecture ${ARCH}" ;;
    esac
}

# --- the architecture an ELF file is built for (e_machine), or nothing for another kind of file ---
elf_arch() {
    [ "$(od -An -tx1 -N4 "$1" | tr -d ' \n')" = 7f454c46 ] || return 0
    case "$(od -An -tx1 -j18 -N1 "$1" | tr -d ' \n')" in
        3e) echo amd64 ;;
        b7) echo arm64 ;;
        *) echo "another architecture" ;;
    esac
}

verify_downloader() {
    [ -x "$(command -v "$1")" ] || return 1
    DOWNLOADER=$1
}

download() {
    set +e
    case ${DOWNLOADER} in
        curl) curl -o "$1" -sfL "$2" ;;
        wget) wget -qO "$1" "$2" ;;
    esac
    status=$?
    set -e
    [ ${status} -eq 0 ] || fatal "Download failed: $2"
}

setup_tmp() {
    TMP_DIR=$(mktemp -d -t k3s-install.XXXXXXXXXX)
    TMP_HASH=${TMP_DIR}/k3s.hash
    TMP_BIN=${TMP_DIR}/k3s.bin
    cleanup() {
        code=$?
        set +e
        trap - EXIT
        rm -rf "${TMP_DIR}"
        exit ${code}
    }
    trap cleanup INT EXIT
}

installed_hash_matches() {
    if [ -x "${BIN_DIR}/k3s" ]; then
        HASH_INSTALLED=$(sha256sum "${BIN_DIR}/k3s")
        [ "${HASH_EXPECTED}" = "${HASH_INSTALLED%%[[:blank:]]*}" ] && return
    fi
    return 1
}

# --- the local binary (INSTALL_K3S_BINARY) for this architecture ---
copy_local_binary() {
    source_bin=${INSTALL_K3S_BINARY}
    if [ -d "${source_bin}" ]; then
        source_bin=${source_bin%/}/k3s-${ARCH}
    fi
    [ -f "${source_bin}" ] || fatal "INSTALL_K3S_BINARY: no k3s binary at ${source_bin}"
    bin_arch=$(elf_arch "${source_bin}")
    if [ -n "${bin_arch}" ] && [ "${bin_arch}" != "${ARCH}" ]; then
        fatal "${source_bin} is a binary for ${bin_arch}; this machine is ${ARCH}"
    fi
    info "Using local binary ${source_bin}"
    cp "${source_bin}" "${TMP_BIN}"
}

# --- the release's binary and its sha256, from INSTALL_K3S_URL or GITHUB_URL + INSTALL_K3S_VERSION ---
download_release_binary() {
    if [ -n "${INSTALL_K3S_URL}" ]; then
        release_url=${INSTALL_K3S_URL%/}
    elif [ -n "${GITHUB_URL}" ] && [ -n "${INSTALL_K3S_VERSION}" ]; then
        release_url=${GITHUB_URL%/}/download/${INSTALL_K3S_VERSION}
    else
        fatal 'Nothing to install: set INSTALL_K3S_BINARY, INSTALL_K3S_URL, or GITHUB_URL and INSTALL_K3S_VERSION'
    fi
    verify_downloader curl || verify_downloader wget || fatal 'Can not find curl or wget for downloading files'
    info "Downloading hash ${release_url}/sha256sum-${ARCH}.txt"
    download "${TMP_HASH}" "${release_url}/sha256sum-${ARCH}.txt"
    HASH_EXPECTED=$(grep " k3s-${ARCH}$" "${TMP_HASH}" || true)
    HASH_EXPECTED=${HASH_EXPECTED%%[[:blank:]]*}
    [ -n "${HASH_EXPECTED}" ] || fatal "sha256sum-${ARCH}.txt has no line for k3s-${ARCH}"
    if installed_hash_matches; then
        info 'Skipping binary downloaded, installed k3s matches hash'
        BINARY_UP_TO_DATE=true
        return
    fi
    info "Downloading binary ${release_url}/k3s-${ARCH}"
    download "${TMP_BIN}" "${release_url}/k3s-${ARCH}"
    info 'Verifying binary download'
    HASH_BIN=$(sha256sum "${TMP_BIN}")
    HASH_BIN=${HASH_BIN%%[[:blank:]]*}
    if [ "${HASH_EXPECTED}" != "${HASH_BIN}" ]; then
        fatal "Download sha256 does not match ${HASH_EXPECTED}, got ${HASH_BIN}"
    fi
}

setup_binary() {
    chmod 755 "${TMP_BIN}"
    info "Installing k3s to ${BIN_DIR}/k3s"
    [ "$(id -u)" -eq 0 ] && chown root:root "${TMP_BIN}"
    $SUDO mkdir -p "${BIN_DIR}"
    $SUDO mv -f "${TMP_BIN}" "${BIN_DIR}/k3s"
}

install_binary() {
    if [ "${INSTALL_K3S_SKIP_DOWNLOAD}" = true ]; then
        info 'Skipping k3s download and verify'
        [ -x "${BIN_DIR}/k3s" ] || fatal "Executable k3s binary not found at ${BIN_DIR}/k3s"
        return
    fi
    setup_verify_arch
    setup_tmp
    if [ -n "${INSTALL_K3S_BINARY}" ]; then
        copy_local_binary
    else
        download_release_binary
    fi
    [ "${BINARY_UP_TO_DATE}" = true ] || setup_binary
}

create_symlinks() {
    [ "${INSTALL_K3S_SYMLINK}" = skip ] && return
    for cmd in kubectl crictl ctr; do
        if [ ! -e "${BIN_DIR}/${cmd}" ] || [ "${INSTALL_K3S_SYMLINK}" = force ]; then
            which_cmd=$(find_command ${cmd})
            if [ -z "${which_cmd}" ] || [ "${INSTALL_K3S_SYMLINK}" = force ]; then
                info "Creating ${BIN_DIR}/${cmd} symlink to k3s"
                $SUDO ln -sf k3s "${BIN_DIR}/${cmd}"
            else
                info "Skipping ${BIN_DIR}/${cmd} symlink to k3s, command exists in PATH at ${which_cmd}"
            fi
        else
            info "Skipping ${BIN_DIR}/${cmd} symlink to k3s, already exists"
        fi
    done
}

# --- k3s-killall.sh: stops the services and the node's containers, mounts and networking ---
create_killall() {
    info "Creating killall script ${KILLALL_K3S_SH}"
    $SUDO tee "${KILLALL_K3S_SH}" >/dev/null <<EOF
#!/bin/sh
[ \$(id -u) -eq 0 ] || [ -n '${ROOT}' ] || exec sudo --preserve-env=K3S_DATA_DIR \$0 \$@

ROOT='${ROOT}'
SYSTEMD_DIR='${SYSTEMD_DIR}'
EOF
    $SUDO tee -a "${KILLALL_K3S_SH}" >/dev/null <<\EOF
K3S_DATA_DIR=${K3S_DATA_DIR:-${ROOT}/var/lib/rancher/k3s}

set -x

# --- the services: systemd only when it runs this machine, never for an install into a root ---
if [ -z "${ROOT}" ] && [ -d /run/systemd/system ]; then
    for service in ${SYSTEMD_DIR}/k3s*.service; do
        [ -s $service ] && systemctl stop $(basename $service)
    done
fi
if [ -z "${ROOT}" ]; then
    for service in /etc/init.d/k3s*; do
        [ -x $service ] && $service stop
    done
fi

pschildren() {
    ps -e -o ppid= -o pid= | sed -e 's/^\s*//g; s/\s\s*/\t/g;' | grep -w "^$1" | cut -f2
}

pstree() {
    for pid in $@; do
        echo $pid
        for child in $(pschildren $pid); do
            pstree $child
        done
    done
}

killtree() {
    kill -9 $(
        { set +x; } 2>/dev/null
        pstree $@
        set -x
    ) 2>/dev/null
}

# --- containers outlive k3s (KillMode=process): their shims run from the unpacked data dir ---
getshims() {
    ps -e -o pid= -o args= | sed -e 's/^ *//; s/\s\s*/\t/;' | grep -w "${K3S_DATA_DIR}"'/data/[^/]*/bin/containerd-shim' | cut -f1
}

killtree $({ set +x; } 2>/dev/null; getshims; set -x)

do_unmount_and_remove() {
    set +x
    while read -r _ path _; do
        case "$path" in $1*) echo "$path" ;; esac
    done </proc/self/mounts | sort -r | xargs -r -t -n 1 sh -c 'umount -f "$0" && rm -rf "$0"'
    set -x
}

do_unmount_and_remove "${ROOT}/run/k3s"
do_unmount_and_remove "${ROOT}/var/lib/kubelet/pods"
do_unmount_and_remove "${ROOT}/var/lib/kubelet/plugins"
do_unmount_and_remove "${ROOT}/run/netns/cni-"

# --- the node's networking is the machine's, not the root's: left alone for an install into a root ---
if [ -z "${ROOT}" ]; then
    ip netns show 2>/dev/null | grep cni- | xargs -r -t -n 1 ip netns delete
    ip link show 2>/dev/null | grep 'master cni0' | while read ignore iface ignore; do
        iface=${iface%%@*}
        [ -z "$iface" ] || ip link delete $iface
    done
    for iface in cni0 flannel.1 flannel-v6.1 kube-ipvs0 flannel-wg flannel-wg-v6; do
        ip link delete $iface 2>/dev/null
    done
    rm -rf /var/lib/cni/
    if command -v iptables-save >/dev/null; then
        iptables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | iptables-restore
    fi
    if command -v ip6tables-save >/dev/null; then
        ip6tables-save | grep -v KUBE- | grep -v CNI- | grep -iv flannel | ip6tables-restore
    fi
fi
exit 0
EOF
    $SUDO chmod 755 "${KILLALL_K3S_SH}"
}

# --- <name>-uninstall.sh: removes everything this install created, and the cluster's data ---
create_uninstall() {
    info "Creating uninstall script ${UNINSTALL_K3S_SH}"
    $SUDO tee "${UNINSTALL_K3S_SH}" >/dev/null <<EOF
#!/bin/sh
set -x
[ \$(id -u) -eq 0 ] || [ -n '${ROOT}' ] || exec sudo --preserve-env=K3S_DATA_DIR \$0 \$@

K3S_DATA_DIR=\${K3S_DATA_DIR:-${ROOT}/var/lib/rancher/k3s}

'${KILLALL_K3S_SH}'

if [ -z '${ROOT}' ] && [ -d /run/systemd/system ] && command -v systemctl; then
    systemctl disable ${SYSTEM_NAME}
    systemctl reset-failed ${SYSTEM_NAME}
    systemctl daemon-reload
fi
if [ -z '${ROOT}' ] && command -v rc-update; then
    rc-update delete ${SYSTEM_NAME} default
fi

rm -f '${FILE_K3S_SERVICE}'
rm -f '${FILE_K3S_ENV}'
rm -f '${ROOT}/etc/logrotate.d/${SYSTEM_NAME}'

remove_uninstall() {
    rm -f '${UNINSTALL_K3S_SH}'
}
trap remove_uninstall EXIT

if (ls '${SYSTEMD_DIR}'/k3s*.service || ls '${ROOT}'/etc/init.d/k3s*) >/dev/null 2>&1; then
    set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x
    exit
fi

for cmd in kubectl crictl ctr; do
    if [ -L '${BIN_DIR}'/\$cmd ]; then
        rm -f '${BIN_DIR}'/\$cmd
    fi
done

# --- pods' volumes may still be mounted under the data dir: never delete through a mount ---
clean_mounted_directory() {
    if ! grep -q " \$1" /proc/mounts; then
        rm -rf "\$1"
        return 0
    fi
    for path in "\$1"/*; do
        if [ -d "\$path" ]; then
            if grep -q " \$path" /proc/mounts; then
                clean_mounted_directory "\$path"
            else
                rm -rf "\$path"
            fi
        else
            rm -f "\$path"
        fi
    done
}

rm -rf '${ROOT}/etc/rancher/k3s'
rm -rf '${ROOT}/run/k3s'
rm -rf '${ROOT}/run/flannel'
clean_mounted_directory "\${K3S_DATA_DIR}"
rm -rf '${ROOT}/var/lib/kubelet'
rmdir '${ROOT}/etc/rancher' '${ROOT}/var/lib/rancher' 2>/dev/null
rm -f '${BIN_DIR}/k3s'
rm -f '${KILLALL_K3S_SH}'
EOF
    $SUDO chmod 755 "${UNINSTALL_K3S_SH}"
}

# --- a unit of the same name from an earlier install would otherwise shadow the new one ---
systemd_disable() {
    if [ -z "${ROOT}" ] && [ -d /run/systemd/system ]; then
        $SUDO systemctl disable "${SYSTEM_NAME}" >/dev/null 2>&1 || true
    fi
    $SUDO rm -f "${SYSTEMD_DIR}/${SERVICE_K3S}" "${SYSTEMD_DIR}/${SERVICE_K3S}.env" || true
}

create_env_file() {
    info "env: Creating environment file ${FILE_K3S_ENV}"
    $SUDO mkdir -p "$(dirname "${FILE_K3S_ENV}")"
    $SUDO touch "${FILE_K3S_ENV}"
    $SUDO chmod 0600 "${FILE_K3S_ENV}"
    {
        sh -c 'export -p' | sed -n 's/^export //p' | grep -E '^(K3S|CONTAINERD)_' || true
        sh -c 'export -p' | sed -n 's/^export //p' | grep -Ei '^(NO|HTTP|HTTPS)_PROXY' || true
    } | $SUDO tee "${FILE_K3S_ENV}" >/dev/null
}

create_systemd_service_file() {
    info "systemd: Creating service file ${FILE_K3S_SERVICE}"
    $SUDO mkdir -p "${SYSTEMD_DIR}"
    $SUDO tee "${FILE_K3S_SERVICE}" >/dev/null <<EOF
[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=${SYSTEMD_TYPE}
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-${FILE_K3S_ENV}
KillMode=process
Delegate=yes
User=root
# Non-zero Limit*s make the kernel account per process; containers are accounted by their cgroups instead.
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${BIN_DIR}/k3s \\
    ${CMD_K3S_EXEC}

EOF
}

create_openrc_service_file() {
    LOG_FILE=${ROOT}/var/log/${SYSTEM_NAME}.log
    info "openrc: Creating service file ${FILE_K3S_SERVICE}"
    $SUDO mkdir -p "$(dirname "${FILE_K3S_SERVICE}")" "${ROOT}/etc/logrotate.d"
    $SUDO tee "${FILE_K3S_SERVICE}" >/dev/null <<EOF
#!/sbin/openrc-run

depend() {
    after network-online
    want cgroups
}

supervisor=supervise-daemon
name=${SYSTEM_NAME}
command="${BIN_DIR}/k3s"
command_args="$(escape_dq "${CMD_K3S_EXEC}")
    >>${LOG_FILE} 2>&1"

output_log=${LOG_FILE}
error_log=${LOG_FILE}

pidfile="${ROOT}/var/run/${SYSTEM_NAME}.pid"
respawn_delay=5
respawn_max=0

set -o allexport
if [ -f /etc/environment ]; then . /etc/environment; fi
if [ -f ${FILE_K3S_ENV} ]; then . ${FILE_K3S_ENV}; fi
set +o allexport
EOF
    $SUDO chmod 0755 "${FILE_K3S_SERVICE}"
    $SUDO tee "${ROOT}/etc/logrotate.d/${SYSTEM_NAME}" >/dev/null <<EOF
${LOG_FILE} {
	missingok
	notifempty
	copytruncate
}
EOF
}

create_service_file() {
    if [ "${HAS_SYSTEMD}" = true ]; then
        create_systemd_service_file
    else
        create_openrc_service_file
    fi
}

get_installed_hashes() {
    $SUDO sha256sum "${BIN_DIR}/k3s" "${FILE_K3S_SERVICE}" "${FILE_K3S_ENV}" 2>&1 || true
}

service_enable_and_start() {
    [ "${INSTALL_K3S_SKIP_ENABLE}" = true ] && return
    if [ -n "${ROOT}" ]; then
        info "Skipping enabling ${SYSTEM_NAME}: installed into INSTALL_K3S_ROOT ${ROOT}"
        return
    fi
    if [ "${HAS_SYSTEMD}" = true ]; then
        if [ ! -d /run/systemd/system ]; then
            warn "systemd is not running this machine: ${SYSTEM_NAME} is installed but neither enabled nor started"
            return
        fi
        info "systemd: Enabling ${SYSTEM_NAME} unit"
        $SUDO systemctl enable "${FILE_K3S_SERVICE}" >/dev/null
        $SUDO systemctl daemon-reload >/dev/null
    else
        info "openrc: Enabling ${SYSTEM_NAME} service for default runlevel"
        $SUDO rc-update add "${SYSTEM_NAME}" default >/dev/null
    fi

    [ "${INSTALL_K3S_SKIP_START}" = true ] && return
    POST_INSTALL_HASHES=$(get_installed_hashes)
    if [ "${PRE_INSTALL_HASHES}" = "${POST_INSTALL_HASHES}" ] && [ "${INSTALL_K3S_FORCE_RESTART}" != true ]; then
        info 'No change detected so skipping service start'
        return
    fi
    if [ "${HAS_SYSTEMD}" = true ]; then
        info "systemd: Starting ${SYSTEM_NAME}"
        $SUDO systemctl restart "${SYSTEM_NAME}"
    else
        info "openrc: Starting ${SYSTEM_NAME}"
        $SUDO "${FILE_K3S_SERVICE}" restart
    fi
}

# --- INSTALL_K3S_EXEC's words first, then the script's arguments ---
eval set -- $(escape "${INSTALL_K3S_EXEC}") $(quote "$@")

{
    verify_system
    setup_env "$@"
    install_binary
    create_symlinks
    create_killall
    create_uninstall
    systemd_disable
    create_env_file
    create_service_file
    service_enable_and_start
}
