#!/usr/bin/env bash
# Installs, upgrades or removes the OpsAgent agent and collector on a Linux host. See install/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: install.sh [--agent] [--collector] [options]
       install.sh --uninstall [--agent] [--collector] [--purge] [--root DIR]

Installs (or upgrades) the OpsAgent agent and/or collector: publishes them from this source tree with
`dotnet publish` into /opt/opsagent/{agent,collector}, writes a default configuration (and the agent's local policy,
policy.json) to /etc/opsagent/ unless one is there already (an existing file is never changed), installs the systemd
units, then enables and (re)starts them. Running it again upgrades in place. Without --agent or --collector it
installs the agent.

Options:
  --agent               install (or remove) the agent
  --collector           install (or remove) the collector
  --collector-url URL   the collector's agent gateway, written into a new /etc/opsagent/agent.json
                        (default with --collector on the same host: https://127.0.0.1:7400)
  --enrollment-token T  the agent's single-use enrolment token (`opsctl tokens create --expires 1h` on the
                        collector), written to /etc/opsagent/enrollment-token (mode 0600); the agent enrols with it
                        at its first start. Without it, write the token to that file later and start the agent.
  --from-build DIR      install the programs in DIR/agent and DIR/collector (published elsewhere, or a copy of
                        another host's /opt/opsagent) instead of publishing; no .NET SDK needed
  --rid RID             runtime identifier to publish for (default: this host's, e.g. linux-x64)
  --root DIR            stage everything under DIR instead of / (images, tests); never touches systemd
  --uninstall           stop, disable and remove the units and programs (all installed ones unless --agent or
                        --collector is given); keeps configuration and data
  --purge               with --uninstall: also remove the configuration and the data
  -h, --help            this text
EOF
}

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 1
}

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT

want_agent=0
want_collector=0
collector_url=""
enrollment_token=""
from_build=""
rid=""
root=""
uninstall=0
purge=0

while (($# > 0)); do
    case "$1" in
        --agent) want_agent=1 ;;
        --collector) want_collector=1 ;;
        --collector-url)
            (($# > 1)) || die "--collector-url needs a URL, e.g. --collector-url http://collector.example.com:7400"
            collector_url="$2"
            shift
            ;;
        --collector-url=*) collector_url="${1#*=}" ;;
        --enrollment-token)
            (($# > 1)) || die "--enrollment-token needs the token printed by 'opsctl tokens create'"
            enrollment_token="$2"
            shift
            ;;
        --enrollment-token=*) enrollment_token="${1#*=}" ;;
        --from-build)
            (($# > 1)) || die "--from-build needs a directory"
            from_build="$2"
            shift
            ;;
        --from-build=*) from_build="${1#*=}" ;;
        --rid)
            (($# > 1)) || die "--rid needs a runtime identifier, e.g. linux-arm64"
            rid="$2"
            shift
            ;;
        --rid=*) rid="${1#*=}" ;;
        --root)
            (($# > 1)) || die "--root needs a directory"
            root="$2"
            shift
            ;;
        --root=*) root="${1#*=}" ;;
        --uninstall) uninstall=1 ;;
        --purge) purge=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
done

# Files are created for services running as other users (the collector must read its programs): never let the
# caller's umask make them private.
umask 022

if [[ -n "$root" ]]; then
    mkdir -p "$root"
    root="$(cd "$root" && pwd)"
    [[ "$root" == / ]] && root=""
fi
readonly root

if ((purge && !uninstall)); then
    die "--purge only goes with --uninstall"
fi
if ((uninstall)) && [[ -n "$collector_url$from_build$rid$enrollment_token" ]]; then
    die "--collector-url, --enrollment-token, --from-build and --rid are for installing, not with --uninstall"
fi
if [[ -z "$root" && "$(id -u)" -ne 0 ]]; then
    die "installing into / needs root: run it with sudo, or stage the files elsewhere with --root DIR"
fi

# The staging root has no systemd of its own, and a host whose PID 1 is not systemd (a container, a build sandbox)
# cannot enable or start anything: install the files, and say what is left to do.
systemd_state() {
    if [[ -n "$root" ]]; then
        echo staged
    elif [[ -d /run/systemd/system ]]; then
        echo running
    else
        echo absent
    fi
}
SYSTEMD="$(systemd_state)"
readonly SYSTEMD

unit_of() { echo "opsagent-$1.service"; }
program_of() {
    case "$1" in
        agent) echo OpsAgent.Agent ;;
        collector) echo OpsAgent.Collector ;;
    esac
}
project_of() {
    case "$1" in
        agent) echo "$REPO_ROOT/agent/OpsAgent.Agent/OpsAgent.Agent.csproj" ;;
        collector) echo "$REPO_ROOT/collector/OpsAgent.Collector/OpsAgent.Collector.csproj" ;;
    esac
}
data_dir_of() {
    case "$1" in
        agent) echo /var/lib/opsagent ;;
        collector) echo /var/lib/opsagent-collector ;;
    esac
}

readonly OPT_DIR=/opt/opsagent
readonly ETC_DIR=/etc/opsagent
readonly UNIT_DIR=/etc/systemd/system
readonly SYSUSERS_FILE=/etc/sysusers.d/opsagent-collector.conf
readonly COLLECTOR_USER=opsagent-collector

# A user or group id from the target root's own files (the staging root's /etc/passwd, or the host's NSS).
id_of() {
    local database="$1" name="$2"
    if [[ -n "$root" ]]; then
        [[ -f "$root/etc/$database" ]] && awk -F: -v n="$name" '$1 == n { print $3 }' "$root/etc/$database"
    else
        getent "$database" "$name" | cut -d: -f3
    fi
}

# Give a path to the collector's user or group, where this run can (root, and the user exists in the target root).
chown_collector() {
    local spec="$1" path="$2" uid gid
    [[ "$(id -u)" -eq 0 ]] || return 0
    gid="$(id_of group "$COLLECTOR_USER" || true)"
    [[ -n "$gid" ]] || return 0
    if [[ "$spec" == user ]]; then
        uid="$(id_of passwd "$COLLECTOR_USER" || true)"
        [[ -n "$uid" ]] || return 0
        chown "$uid:$gid" "$path"
    else
        chgrp "$gid" "$path"
    fi
}

host_rid() {
    local arch libc=""
    case "$(uname -m)" in
        x86_64 | amd64) arch=x64 ;;
        aarch64 | arm64) arch=arm64 ;;
        armv7* | armhf) arch=arm ;;
        *) die "no .NET runtime identifier known for machine type '$(uname -m)'; pass one with --rid" ;;
    esac
    if ldd --version 2>&1 | grep -qi musl; then
        libc=musl-
    fi
    echo "linux-${libc}${arch}"
}

# ---------------------------------------------------------------------------------------------------------- install

# The agent's publish profile builds it with Native AOT for this machine's own platform, which links with clang and
# zlib: check for them up front instead of failing at the end of a long build.
check_aot_toolchain() {
    [[ "$rid" == "$(host_rid)" ]] || return 0
    if ! command -v clang >/dev/null || ! printf 'int main(void) { return 0; }\n' | clang -x c - -lz -o /dev/null 2>/dev/null; then
        die "publishing the agent (Native AOT) needs clang and zlib's development files: apt-get install clang zlib1g-dev (Debian, Ubuntu) or dnf install clang zlib-devel (Fedora, RHEL). Or publish on another machine and pass --from-build DIR."
    fi
}

# Publishes a component into DIR with the profile in install/publish (the one place for publish settings).
publish() {
    local component="$1" out="$2" work="$3"
    command -v dotnet >/dev/null ||
        die "dotnet (the .NET 10 SDK) is needed to publish from source. Install it, or publish on another machine and pass --from-build DIR."
    if [[ "$component" == agent ]]; then
        check_aot_toolchain
    fi
    say "Publishing the $component for $rid (dotnet publish, Release; this takes a minute)"
    # A private artifacts directory: the publish neither disturbs nor leaves root-owned files in the source tree.
    DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet publish "$(project_of "$component")" \
        -c Release -r "$rid" \
        -p:PublishProfileFullPath="$REPO_ROOT/install/publish/$component.pubxml" \
        -p:ArtifactsPath="$work/artifacts" \
        -o "$out" --nologo -v quiet ||
        die "dotnet publish of the $component failed (output above)."
}

# Replaces /opt/opsagent/COMPONENT with SOURCE. Renaming directories leaves a running service on its old files until
# it is restarted, so an upgrade needs no stop before the copy.
install_program() {
    local component="$1" source="$2"
    local dest="$root$OPT_DIR/$component" next="$root$OPT_DIR/.$component.new" old="$root$OPT_DIR/.$component.old"
    local program
    program="$(program_of "$component")"
    [[ -f "$source/$program" && -x "$source/$program" ]] ||
        die "$source/$program is missing or not executable: expected a published $component there."

    say "Installing the $component into $OPT_DIR/$component"
    mkdir -p "$root$OPT_DIR"
    rm -rf "$next" "$old"
    mkdir "$next"
    cp -R "$source/." "$next/"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R 0:0 "$next"
    fi
    chmod -R u+rwX,go+rX,go-w "$next"
    if [[ -d "$dest" ]]; then
        mv "$dest" "$old"
    fi
    mv "$next" "$dest"
    rm -rf "$old"
    install -m 0644 "$SCRIPT_DIR/../README.md" "$root$OPT_DIR/README.md"
}

write_agent_config() {
    local file="$root$ETC_DIR/agent.json" url="$1"
    if [[ -e "$file" ]]; then
        note "Kept the existing $ETC_DIR/agent.json (never overwritten)."
        if [[ -n "$url" ]] && ! grep -qF "\"$url\"" "$file"; then
            warn "--collector-url $url was NOT applied: $ETC_DIR/agent.json already exists. Set Agent:CollectorUrl there."
        fi
        return
    fi
    local content empty='"CollectorUrl": ""' set="\"CollectorUrl\": \"$url\""
    content="$(cat "$SCRIPT_DIR/agent.json")"
    if [[ -n "$url" ]]; then
        [[ "$content" == *"$empty"* ]] ||
            die "cannot set the collector URL: $SCRIPT_DIR/agent.json no longer has the line '$empty'."
        content="${content/"$empty"/"$set"}"
    fi
    printf '%s\n' "$content" >"$file.tmp"
    chmod 0600 "$file.tmp"
    mv "$file.tmp" "$file"
    note "Wrote $ETC_DIR/agent.json${url:+ (collector: $url)}."
}

# The agent's local policy: what it may do, whatever the collector asks. Written once, never overwritten; as shipped it
# allows only read-only diagnostics.
write_agent_policy() {
    local file="$root$ETC_DIR/policy.json"
    if [[ -e "$file" ]]; then
        note "Kept the existing $ETC_DIR/policy.json (never overwritten)."
        return
    fi
    install -m 0644 "$SCRIPT_DIR/policy.json" "$file.tmp"
    mv "$file.tmp" "$file"
    note "Wrote $ETC_DIR/policy.json (allows diagnostics only; edit it to allow restarts, cleanup, scripts)."
}

write_collector_config() {
    local file="$root$ETC_DIR/collector.json"
    if [[ -e "$file" ]]; then
        note "Kept the existing $ETC_DIR/collector.json (never overwritten)."
        return
    fi
    install -m 0640 "$SCRIPT_DIR/collector.json" "$file.tmp"
    chown_collector group "$file.tmp"
    mv "$file.tmp" "$file"
    note "Wrote $ETC_DIR/collector.json (agent gateway on 0.0.0.0:7400, admin API and /metrics on 127.0.0.1)."
}

create_collector_user() {
    install -d -m 0755 "$root/etc/sysusers.d"
    install -m 0644 "$SCRIPT_DIR/opsagent-collector.sysusers" "$root$SYSUSERS_FILE"
    if [[ "$(id -u)" -ne 0 ]]; then
        note "Not root: the system user $COLLECTOR_USER is not created (systemd-sysusers creates it from $SYSUSERS_FILE at boot)."
    elif command -v systemd-sysusers >/dev/null; then
        systemd-sysusers ${root:+--root="$root"} "$root$SYSUSERS_FILE"
    elif [[ -z "$root" ]]; then
        id -u "$COLLECTOR_USER" >/dev/null 2>&1 ||
            useradd --system --user-group --no-create-home --home-dir /var/lib/opsagent-collector \
                --shell /usr/sbin/nologin --comment "OpsAgent collector" "$COLLECTOR_USER"
    else
        note "systemd-sysusers is missing: the system user $COLLECTOR_USER is not created in $root."
    fi
}

# The units create these themselves (StateDirectory=); creating them here as well lets the programs be run by hand.
create_data_dir() {
    local component="$1" dir
    dir="$root$(data_dir_of "$component")"
    if [[ "$component" == agent ]]; then
        install -d -m 0700 "$dir"
    else
        install -d -m 0750 "$dir"
        chown_collector user "$dir"
    fi
}

# The agent needs an identity before it can talk to a secure collector: enrolled already, or a token to enrol with.
agent_lacks_identity() {
    grep -Eq '"CollectorUrl"[[:space:]]*:[[:space:]]*"https://' "$root$ETC_DIR/agent.json" &&
        [[ ! -e "$root$(data_dir_of agent)/identity/agent.pem" && ! -s "$root$ETC_DIR/enrollment-token" ]]
}

write_enrollment_token() {
    local file="$root$ETC_DIR/enrollment-token"
    printf '%s\n' "$1" >"$file.tmp"
    chmod 0600 "$file.tmp"
    mv "$file.tmp" "$file"
    note "Wrote the enrolment token to $ETC_DIR/enrollment-token (mode 0600); the agent enrols with it at its next start."
}

agent_config_lacks_url() {
    grep -Eq '"CollectorUrl"[[:space:]]*:[[:space:]]*""' "$root$ETC_DIR/agent.json"
}

# Enables and (re)starts one unit; returns non-zero if it does not come up.
start_unit() {
    local component="$1" unit
    unit="$(unit_of "$component")"
    if ! systemctl enable --quiet "$unit"; then
        warn "could not enable $unit (output above)."
        return 1
    fi
    if [[ "$component" == agent ]] && agent_config_lacks_url; then
        note "$unit is enabled but not started: it needs Agent:CollectorUrl first (see above)."
        return 0
    fi
    if [[ "$component" == agent ]] && agent_lacks_identity; then
        note "$unit is enabled but not started: it needs an enrolment token first (see above)."
        return 0
    fi
    say "Starting $unit"
    # Type=notify: this returns once the service has said READY=1, or fails if it exits first.
    if systemctl restart "$unit"; then
        note "$unit is running. Logs: journalctl -u $unit -f"
        return 0
    fi
    warn "$unit did not start. See: systemctl status $unit; journalctl -u $unit -n 50"
    return 1
}

do_install() {
    local components=() component status=0
    if ((want_agent)); then components+=(agent); fi
    if ((want_collector)); then components+=(collector); fi

    if [[ -n "$collector_url" ]]; then
        ((want_agent)) || die "--collector-url goes into the agent's configuration; add --agent"
        local url_pattern='^https?://[][A-Za-z0-9._~:/%-]+$'
        [[ "$collector_url" =~ $url_pattern ]] ||
            die "--collector-url '$collector_url' is not an http:// or https:// URL, e.g. https://collector.example.com:7400"
        local loopback_pattern='^http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?/?$'
        if [[ "$collector_url" == http://* && ! "$collector_url" =~ $loopback_pattern ]]; then
            die "--collector-url '$collector_url' is plain HTTP to another host, which the agent refuses (collectors accept plain HTTP on loopback only, for tests). Use https://, e.g. https://collector.example.com:7400"
        fi
    elif ((want_agent && want_collector)); then
        collector_url="https://127.0.0.1:7400"
    fi
    if [[ -n "$enrollment_token" ]]; then
        ((want_agent)) || die "--enrollment-token is for the agent; add --agent"
        local token_pattern='^oe_[0-9a-f]{12}_[0-9a-f]{32}_[0-9a-f]{64}$'
        [[ "$enrollment_token" =~ $token_pattern ]] ||
            die "--enrollment-token is not an enrolment token; pass it exactly as 'opsctl tokens create' printed it (oe_ and three groups of hex digits)"
    fi

    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/opsagent-install.XXXXXX")"
    # shellcheck disable=SC2064 # expand now: $work is local
    trap "rm -rf '$work'" EXIT

    # Publish everything first: a failed build leaves the running installation untouched.
    declare -A source_of=()
    for component in "${components[@]}"; do
        if [[ -n "$from_build" ]]; then
            [[ -d "$from_build/$component" ]] || die "--from-build $from_build has no $component/ directory."
            source_of[$component]="$(cd "$from_build/$component" && pwd)"
        else
            [[ -n "$rid" ]] || rid="$(host_rid)"
            publish "$component" "$work/$component" "$work"
            source_of[$component]="$work/$component"
        fi
    done

    install -d -m 0755 "$root$ETC_DIR" "$root$UNIT_DIR"
    for component in "${components[@]}"; do
        if [[ "$component" == collector ]]; then
            create_collector_user
        fi
        install_program "$component" "${source_of[$component]}"
        install -m 0644 "$SCRIPT_DIR/$(unit_of "$component")" "$root$UNIT_DIR/$(unit_of "$component")"
        note "Installed the unit $UNIT_DIR/$(unit_of "$component")."
        if [[ "$component" == agent ]]; then
            write_agent_policy
            write_agent_config "$collector_url"
            if [[ -n "$enrollment_token" ]]; then
                write_enrollment_token "$enrollment_token"
            fi
            if agent_config_lacks_url; then
                warn "$ETC_DIR/agent.json has no Agent:CollectorUrl: the agent will not start until it has. Set it to the collector's gateway (e.g. \"CollectorUrl\": \"https://collector.example.com:7400\"), or rerun with --collector-url after removing the file."
            elif agent_lacks_identity; then
                warn "the agent is not enrolled and has no enrolment token. On the collector: opsctl tokens create --expires 1h; write the token to $ETC_DIR/enrollment-token (mode 0600) or rerun with --enrollment-token, then start opsagent-agent."
            fi
        else
            write_collector_config
        fi
        create_data_dir "$component"
    done

    local units=()
    for component in "${components[@]}"; do units+=("$(unit_of "$component")"); done
    case "$SYSTEMD" in
        running)
            systemctl daemon-reload
            # The collector first: a local agent connects to it right away.
            for component in collector agent; do
                [[ " ${components[*]} " == *" $component "* ]] || continue
                start_unit "$component" || status=1
            done
            ;;
        staged)
            say "Staged under $root; systemd was not touched. On the target system: systemctl daemon-reload && systemctl enable --now ${units[*]}"
            ;;
        absent)
            say "systemd is not running as init on this machine (PID 1 is '$(cat /proc/1/comm 2>/dev/null || echo unknown)'):"
            note "the units are installed but not enabled or started. Where systemd runs: systemctl enable --now ${units[*]}"
            for component in "${components[@]}"; do
                note "To run the $component by hand: $OPT_DIR/$component/$(program_of "$component")"
            done
            ;;
    esac

    if ((status == 0)); then
        say "Done: ${components[*]} installed."
    fi
    return "$status"
}

# -------------------------------------------------------------------------------------------------------- uninstall

is_installed() {
    [[ -e "$root$UNIT_DIR/$(unit_of "$1")" || -e "$root$OPT_DIR/$1" ]]
}

uninstall_component() {
    local component="$1" unit data configs policy=""
    unit="$(unit_of "$component")"
    data="$(data_dir_of "$component")"
    configs="$ETC_DIR/$component.json"
    if [[ "$component" == agent ]]; then
        configs+=", $ETC_DIR/policy.json"
        policy="$root$ETC_DIR/policy.json"
    fi
    say "Removing the $component"
    if [[ "$SYSTEMD" == running ]]; then
        if systemctl is-active --quiet "$unit"; then
            systemctl stop "$unit"
            note "Stopped $unit."
        fi
        if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
            systemctl disable --quiet "$unit"
            note "Disabled $unit."
        fi
    fi
    rm -f "$root$UNIT_DIR/$unit"
    rm -rf "$root$OPT_DIR/${component:?}"
    if [[ "$component" == collector ]]; then
        rm -f "$root$SYSUSERS_FILE"
    fi

    if ((purge)); then
        [[ -z "$policy" ]] || rm -f "$policy"
        rm -f "$root$ETC_DIR/$component.json"
        if [[ "$component" == agent ]]; then
            rm -f "$root$ETC_DIR/enrollment-token"
        fi
        rm -rf "$root$data" "$root$UNIT_DIR/$unit.d"
        note "Purged $configs and $data."
        if [[ "$component" == collector ]]; then
            note "The system user $COLLECTOR_USER is kept (files elsewhere may still belong to it): userdel $COLLECTOR_USER"
        fi
    else
        note "Kept $configs and $data (remove them with --uninstall --purge)."
    fi
}

do_uninstall() {
    local components=() component
    if ((!want_agent && !want_collector)); then
        want_agent=1
        want_collector=1
    fi
    if ((want_agent)); then components+=(agent); fi
    if ((want_collector)); then components+=(collector); fi

    local removed=0
    for component in "${components[@]}"; do
        if is_installed "$component" || { ((purge)) && [[ -e "$root$ETC_DIR/$component.json" || -e "$root$(data_dir_of "$component")" ]]; }; then
            uninstall_component "$component"
            removed=1
        else
            note "The $component is not installed${root:+ under $root}."
        fi
    done

    if ((removed)); then
        if [[ "$SYSTEMD" == running ]]; then
            systemctl daemon-reload
            for component in "${components[@]}"; do
                systemctl reset-failed "$(unit_of "$component")" 2>/dev/null || true
            done
        fi
        # Shared directories go once nothing of OpsAgent is left in them.
        if [[ ! -e "$root$OPT_DIR/agent" && ! -e "$root$OPT_DIR/collector" ]]; then
            rm -f "$root$OPT_DIR/README.md"
            rmdir "$root$OPT_DIR" 2>/dev/null || true
        fi
        if ((purge)); then
            rmdir "$root$ETC_DIR" 2>/dev/null || true
        fi
        say "Done: ${components[*]} removed."
    fi
}

if ((uninstall)); then
    do_uninstall
else
    if ((!want_agent && !want_collector)); then
        want_agent=1
    fi
    do_install
fi
