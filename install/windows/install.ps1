<#
.SYNOPSIS
    Installs, upgrades or removes the OpsAgent agent and collector as Windows services.

.DESCRIPTION
    Publishes the programs from this source tree (dotnet publish, Release, with the profiles in install\publish) or
    takes them from -FromBuild, copies them to %ProgramFiles%\OpsAgent\{Agent,Collector}, writes a default
    configuration to %ProgramData%\OpsAgent unless one is there already (an existing configuration is never
    changed), and registers the services with recovery actions (restart on failure). Running it again upgrades in
    place. Without -Agent or -Collector it installs the agent. See install\README.md.

    Services:
      OpsAgent           the agent, as LocalSystem (it will restart services and clean directories on its local
                         policy's say-so: the Windows counterpart of root, see install\README.md)
      OpsAgentCollector  the collector, as its own virtual account NT SERVICE\OpsAgentCollector

.PARAMETER Agent
    Install (or remove) the agent.
.PARAMETER Collector
    Install (or remove) the collector.
.PARAMETER CollectorUrl
    The collector's agent gateway, written into a new agent.json (default with -Collector: https://127.0.0.1:7400).
.PARAMETER EnrollmentToken
    The agent's single-use enrolment token (`opsctl tokens create --expires 1h` on the collector), written to
    %ProgramData%\OpsAgent\enrollment-token; the agent enrols with it at its first start.
.PARAMETER FromBuild
    A directory with agent\ and collector\ holding published programs (e.g. a copy of another host's
    %ProgramFiles%\OpsAgent); no .NET SDK needed.
.PARAMETER Rid
    Runtime identifier to publish for (default: win-x64; win-arm64 for ARM machines).
.PARAMETER Uninstall
    Stop and remove the services and programs (all installed ones unless -Agent or -Collector is given); keeps
    the configuration and data.
.PARAMETER Purge
    With -Uninstall: also remove the configuration and data.

.EXAMPLE
    .\install\windows\install.ps1 -Agent -CollectorUrl https://collector.example.com:7400 -EnrollmentToken oe_...
.EXAMPLE
    .\install\windows\install.ps1 -Uninstall -Purge
#>
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    [switch] $Agent,
    [switch] $Collector,
    [string] $CollectorUrl = '',
    [string] $EnrollmentToken = '',
    [string] $FromBuild = '',
    [string] $Rid = 'win-x64',
    [switch] $Uninstall,
    [switch] $Purge
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$ProgramRoot = Join-Path $env:ProgramFiles 'OpsAgent'
$DataRoot = Join-Path $env:ProgramData 'OpsAgent'

# Service names as the programs declare them (AddWindowsService in AgentHost.cs / CollectorHost.cs).
$Components = [ordered]@{
    agent     = @{
        Name        = 'Agent'
        Service     = 'OpsAgent'
        DisplayName = 'OpsAgent agent'
        Description = 'Collects this host''s metrics and streams them to the OpsAgent collector.'
        Project     = 'agent\OpsAgent.Agent\OpsAgent.Agent.csproj'
        Program     = 'OpsAgent.Agent.exe'
        EventSource = 'OpsAgent.Agent'
        Config      = Join-Path $DataRoot 'agent.json'
        Data        = Join-Path $DataRoot 'state'
        Account     = 'LocalSystem'
    }
    collector = @{
        Name        = 'Collector'
        Service     = 'OpsAgentCollector'
        DisplayName = 'OpsAgent collector'
        Description = 'Receives the OpsAgent agents'' streams, stores them and serves the admin API.'
        Project     = 'collector\OpsAgent.Collector\OpsAgent.Collector.csproj'
        Program     = 'OpsAgent.Collector.exe'
        EventSource = 'OpsAgent.Collector'
        Config      = Join-Path $DataRoot 'collector.json'
        Data        = Join-Path $DataRoot 'collector'
        Account     = 'NT SERVICE\OpsAgentCollector'
    }
}

# Well-known SIDs, so that the ACLs do not depend on the language of Windows.
$SystemSid = '*S-1-5-18'
$AdministratorsSid = '*S-1-5-32-544'

function Say([string] $Message) { Write-Host "==> $Message" }
function Note([string] $Message) { Write-Host "    $Message" }

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) {
        throw "$What failed with exit code $LASTEXITCODE (output above)."
    }
}

function Get-InstalledService([string] $Name) {
    Get-Service -Name $Name -ErrorAction SilentlyContinue
}

function Stop-IfRunning([string] $Name) {
    $service = Get-InstalledService $Name
    if ($service -and $service.Status -ne 'Stopped') {
        Stop-Service -Name $Name
        $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds(60))
        Note "Stopped $Name."
    }
}

function Get-ProgramDirectory($C) { Join-Path $ProgramRoot $C.Name }

function Test-Installed($C) {
    (Get-InstalledService $C.Service) -or (Test-Path (Get-ProgramDirectory $C))
}

# ------------------------------------------------------------------------------------------------------------ install

function Publish-Component([string] $Key, $C, [string] $Work) {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
        throw 'dotnet (the .NET 10 SDK) is needed to publish from source. Install it, or publish on another machine and pass -FromBuild DIR.'
    }
    $out = Join-Path $Work $Key
    Say "Publishing the $Key for $Rid (dotnet publish, Release; this takes a minute)"
    # A private artifacts directory: the publish neither disturbs nor leaves files in the source tree.
    Invoke-Native "dotnet publish of the $Key" {
        dotnet publish (Join-Path $RepoRoot $C.Project) -c Release -r $Rid `
            "-p:PublishProfileFullPath=$(Join-Path $RepoRoot "install\publish\$Key.pubxml")" `
            "-p:ArtifactsPath=$(Join-Path $Work 'artifacts')" `
            -o $out --nologo -v quiet
    }
    $out
}

function Install-Program($C, [string] $Source) {
    $exe = Join-Path $Source $C.Program
    if (-not (Test-Path $exe -PathType Leaf)) {
        throw "$exe is missing: expected a published $($C.Name.ToLowerInvariant()) there."
    }
    $dest = Get-ProgramDirectory $C
    $next = "$dest.new"
    Say "Installing the $($C.Name.ToLowerInvariant()) into $dest"
    if (Test-Path $next) { Remove-Item $next -Recurse -Force }
    Copy-Item $Source $next -Recurse
    # Windows keeps a running program's files locked: the service must be stopped before they are replaced.
    Stop-IfRunning $C.Service
    if (Test-Path $dest) { Remove-Item $dest -Recurse -Force }
    Rename-Item $next (Split-Path $dest -Leaf)
}

# %ProgramData% lets every user create files below it; OpsAgent's directory is for SYSTEM and Administrators only.
function Initialize-DataRoot {
    if (-not (Test-Path $DataRoot)) {
        New-Item -ItemType Directory -Path $DataRoot | Out-Null
    }
    Invoke-Native 'icacls' { icacls $DataRoot /inheritance:r /grant:r "${SystemSid}:(OI)(CI)F" "${AdministratorsSid}:(OI)(CI)F" | Out-Null }
}

function Write-DefaultConfig([string] $Key, $C, [string] $Url) {
    if (Test-Path $C.Config) {
        Note "Kept the existing $($C.Config) (never overwritten)."
        if ($Key -eq 'agent' -and $Url -and -not (Select-String -Path $C.Config -SimpleMatch "`"$Url`"" -Quiet)) {
            Write-Warning "-CollectorUrl $Url was NOT applied: $($C.Config) already exists. Set Agent:CollectorUrl there."
        }
        return
    }
    # The Linux examples are the reference; only what differs on Windows is changed.
    $text = Get-Content -Raw (Join-Path $RepoRoot "install\linux\$Key.json")
    if ($Key -eq 'agent' -and $Url) {
        $text = $text.Replace('"CollectorUrl": ""', "`"CollectorUrl`": `"$Url`"")
    }
    if ($Key -eq 'agent') {
        $tokenJson = (Join-Path $DataRoot 'enrollment-token').Replace('\', '\\')
        $text = $text.Replace('"TokenFile": "/etc/opsagent/enrollment-token"', "`"TokenFile`": `"$tokenJson`"")
    }
    if ($Key -eq 'collector') {
        $dataJson = $C.Data.Replace('\', '\\')
        $text = $text.Replace('"DataDirectory": "/var/lib/opsagent-collector"', "`"DataDirectory`": `"$dataJson`"")
    }
    # UTF-8 without a byte order mark, as the JSON reader expects.
    [System.IO.File]::WriteAllText($C.Config, $text, (New-Object System.Text.UTF8Encoding $false))
    Note "Wrote $($C.Config)."
}

function Register-Component($C) {
    if (Get-InstalledService $C.Service) {
        # An upgrade: the program path and its arguments never change, only the files behind them.
        Set-Service -Name $C.Service -StartupType Automatic
    }
    else {
        # --config names the file explicitly, so that a missing one stops the service instead of running on defaults.
        $binaryPath = "`"$(Join-Path (Get-ProgramDirectory $C) $C.Program)`" --config `"$($C.Config)`""
        New-Service -Name $C.Service -BinaryPathName $binaryPath -DisplayName $C.DisplayName `
            -Description $C.Description -StartupType Automatic | Out-Null
        Note "Registered the service $($C.Service)."
    }
    if ($C.Account -ne 'LocalSystem') {
        Invoke-Native "sc.exe config $($C.Service) obj=" { sc.exe config $C.Service obj= $C.Account | Out-Null }
    }

    # Recovery: restart 5 s after the first and second failure, 60 s after every further one; the count resets after
    # a day without failures. failureflag 1 also counts a stop with a non-zero exit code as a failure. A bad
    # configuration stops the program before it reports to the service control manager: Windows records a failed
    # start, which recovery actions do not apply to, so it does not restart in a loop.
    Invoke-Native "sc.exe failure $($C.Service)" { sc.exe failure $C.Service reset= 86400 actions= restart/5000/restart/5000/restart/60000 | Out-Null }
    Invoke-Native "sc.exe failureflag $($C.Service)" { sc.exe failureflag $C.Service 1 | Out-Null }

    # The .NET host logs warnings and errors to the Application event log under its application name; a virtual
    # account may not create that source itself.
    if (-not [System.Diagnostics.EventLog]::SourceExists($C.EventSource)) {
        [System.Diagnostics.EventLog]::CreateEventSource($C.EventSource, 'Application')
    }
}

function Grant-DataAccess($C) {
    if (-not (Test-Path $C.Data)) {
        New-Item -ItemType Directory -Path $C.Data | Out-Null
    }
    if ($C.Account -ne 'LocalSystem') {
        Invoke-Native 'icacls' { icacls $DataRoot /grant "$($C.Account):(RX)" | Out-Null }
        Invoke-Native 'icacls' { icacls $C.Config /grant "$($C.Account):(R)" | Out-Null }
        Invoke-Native 'icacls' { icacls $C.Data /grant "$($C.Account):(OI)(CI)M" | Out-Null }
    }
}

function Install-Components([string[]] $Keys) {
    $url = $CollectorUrl
    if ($url) {
        if ($Keys -notcontains 'agent') { throw '-CollectorUrl goes into the agent''s configuration; add -Agent.' }
        if ($url -notmatch '^https?://[A-Za-z0-9._~:/%\[\]-]+$') {
            throw "-CollectorUrl '$url' is not an http:// or https:// URL, e.g. https://collector.example.com:7400"
        }
        if ($url -match '^http://' -and $url -notmatch '^http://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?/?$') {
            throw "-CollectorUrl '$url' is plain HTTP to another host, which the agent refuses. Use https://, e.g. https://collector.example.com:7400"
        }
    }
    elseif ($Keys -contains 'agent' -and $Keys -contains 'collector') {
        $url = 'https://127.0.0.1:7400'
    }
    if ($EnrollmentToken) {
        if ($Keys -notcontains 'agent') { throw '-EnrollmentToken is for the agent; add -Agent.' }
        if ($EnrollmentToken -notmatch '^oe_[0-9a-f]{12}_[0-9a-f]{32}_[0-9a-f]{64}$') {
            throw '-EnrollmentToken is not an enrolment token; pass it exactly as `opsctl tokens create` printed it.'
        }
    }

    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("opsagent-install-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        # Publish everything first: a failed build leaves the running installation untouched.
        $sources = @{}
        foreach ($key in $Keys) {
            if ($FromBuild) {
                $dir = Join-Path $FromBuild $key
                if (-not (Test-Path $dir -PathType Container)) { throw "-FromBuild $FromBuild has no $key\ directory." }
                $sources[$key] = (Resolve-Path $dir).Path
            }
            else {
                $sources[$key] = Publish-Component $key $Components[$key] $work
            }
        }

        if (-not (Test-Path $ProgramRoot)) { New-Item -ItemType Directory -Path $ProgramRoot | Out-Null }
        Initialize-DataRoot
        # The collector first: a local agent connects to it right away.
        foreach ($key in @('collector', 'agent')) {
            if ($Keys -notcontains $key) { continue }
            $c = $Components[$key]
            Install-Program $c $sources[$key]
            Write-DefaultConfig $key $c $url
            Register-Component $c
            Grant-DataAccess $c
            $tokenFile = Join-Path $DataRoot 'enrollment-token'
            if ($key -eq 'agent' -and $EnrollmentToken) {
                # %ProgramData%\OpsAgent is limited to SYSTEM and Administrators (Initialize-DataRoot).
                [System.IO.File]::WriteAllText($tokenFile, $EnrollmentToken, (New-Object System.Text.UTF8Encoding $false))
                Note "Wrote the enrolment token to $tokenFile; the agent enrols with it at its first start."
            }
            if ($key -eq 'agent' -and (Select-String -Path $c.Config -Pattern '"CollectorUrl"\s*:\s*""' -Quiet)) {
                Write-Warning "The agent service is installed but not started: $($c.Config) has no Agent:CollectorUrl yet. Set it, then: Start-Service $($c.Service)"
                continue
            }
            $enrolled = Test-Path (Join-Path $c.Data 'identity\agent.pem')
            if ($key -eq 'agent' -and -not $enrolled -and -not (Test-Path $tokenFile) -and
                (Select-String -Path $c.Config -Pattern '"CollectorUrl"\s*:\s*"https://' -Quiet)) {
                Write-Warning "The agent service is installed but not started: it is not enrolled. On the collector run: opsctl tokens create --expires 1h; write the token to $tokenFile (or rerun with -EnrollmentToken), then: Start-Service $($c.Service)"
                continue
            }
            Say "Starting $($c.Service)"
            Start-Service -Name $c.Service
            Note "$($c.Service) is running. Warnings and errors: Event Viewer > Windows Logs > Application, source $($c.EventSource)."
        }
    }
    finally {
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    }
    Say "Done: $($Keys -join ', ') installed."
}

# ---------------------------------------------------------------------------------------------------------- uninstall

function Uninstall-Components([string[]] $Keys) {
    foreach ($key in $Keys) {
        $c = $Components[$key]
        $hasLeftovers = (Test-Path $c.Config) -or (Test-Path $c.Data)
        if (-not (Test-Installed $c) -and -not ($Purge -and $hasLeftovers)) {
            Note "The $key is not installed."
            continue
        }
        Say "Removing the $key"
        if (Get-InstalledService $c.Service) {
            Stop-IfRunning $c.Service
            Invoke-Native "sc.exe delete $($c.Service)" { sc.exe delete $c.Service | Out-Null }
            Note "Removed the service $($c.Service)."
        }
        $programDir = Get-ProgramDirectory $c
        if (Test-Path $programDir) { Remove-Item $programDir -Recurse -Force }
        if ($Purge) {
            if (Test-Path $c.Config) { Remove-Item $c.Config -Force }
            if (Test-Path $c.Data) { Remove-Item $c.Data -Recurse -Force }
            $tokenFile = Join-Path $DataRoot 'enrollment-token'
            if ($key -eq 'agent' -and (Test-Path $tokenFile)) { Remove-Item $tokenFile -Force }
            Note "Purged $($c.Config) and $($c.Data)."
        }
        else {
            Note "Kept $($c.Config) and $($c.Data) (remove them with -Uninstall -Purge)."
        }
    }
    if ((Test-Path $ProgramRoot) -and -not (Get-ChildItem $ProgramRoot)) { Remove-Item $ProgramRoot }
    if ($Purge -and (Test-Path $DataRoot) -and -not (Get-ChildItem $DataRoot)) { Remove-Item $DataRoot }
    Say "Done: $($Keys -join ', ') removed."
}

# ------------------------------------------------------------------------------------------------------------- main

if ($Purge -and -not $Uninstall) { throw '-Purge only goes with -Uninstall.' }

$selected = @()
if ($Agent) { $selected += 'agent' }
if ($Collector) { $selected += 'collector' }

if ($Uninstall) {
    if ($selected.Count -eq 0) { $selected = @('agent', 'collector') }
    Uninstall-Components $selected
}
else {
    if ($selected.Count -eq 0) { $selected = @('agent') }
    Install-Components $selected
}
