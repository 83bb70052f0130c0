"""Checks that the runtime image installs every shared library the executables link.

For each executable of the package (found in the given bin folder, e.g. `swift build --show-bin-path`):
`ldd` lists the shared libraries it loads; each library is either part of the Swift toolchain (then
the Dockerfile must build with --static-swift-stdlib or copy the toolchain's runtime libraries) or
belongs to a Debian package (`dpkg -S`). Each such package must be installed in the runtime stage:
named on its `apt-get install` line, pulled in by one of those (their Depends, as dpkg records them
here), or part of the base image (Priority: required, and apt). Debug binaries link the same system
libraries as release ones.

The package names are this machine's, so the check runs only when this machine and the runtime image
are the same Debian release (both bookworm today).

Run: python3 deploy/checks/check_linked_packages.py BIN_DIR
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import codefacts
from common import DOCKERFILE, Report, rel


def ldd(binary: Path) -> dict[str, str]:
    """soname -> resolved path (or '' when not found)."""
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    libs: dict[str, str] = {}
    for line in out.splitlines():
        line = line.strip()
        m = re.match(r"(\S+) => (\S+|not found)", line)
        if m:
            libs[m.group(1)] = "" if m.group(2) == "not found" else m.group(2)
        elif line and not line.startswith("linux-vdso") and "=>" not in line:
            path = line.split()[0]
            libs[os.path.basename(path)] = path  # the dynamic loader itself
    return libs


def dpkg_owners(paths: list[str]) -> dict[str, str]:
    """path -> owning package, trying the path as given, resolved, and with/without /usr (usrmerge)."""
    candidates: dict[str, str] = {}
    for p in paths:
        forms = {p, os.path.realpath(p)}
        for f in list(forms):
            forms.add(f[4:] if f.startswith("/usr/") else "/usr" + f)
        for f in forms:
            candidates[f] = p
    result = subprocess.run(["dpkg-query", "-S", *sorted(candidates)], capture_output=True, text=True)
    owners: dict[str, str] = {}
    for line in result.stdout.splitlines():
        pkgs, _, path = line.partition(": ")
        if path in candidates and "," not in pkgs and not pkgs.startswith("diversion"):
            owners.setdefault(candidates[path], pkgs.split(":")[0])
    return owners


def installed_packages() -> dict[str, dict[str, str]]:
    fmt = "${Package}\t${Priority}\t${Essential}\t${Pre-Depends}\t${Depends}\t${Provides}\t${db:Status-Status}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, check=True).stdout
    packages = {}
    for line in out.splitlines():
        name, priority, essential, pre, depends, provides, status = (line.split("\t") + [""] * 7)[:7]
        if status == "installed":
            packages[name] = {"priority": priority, "essential": essential, "depends": f"{pre}, {depends}",
                              "provides": provides}
    return packages


def closure(roots: set[str], packages: dict[str, dict[str, str]]) -> set[str]:
    """Everything installing `roots` installs, by Depends/Pre-Depends (first alternative apt takes)."""
    providers: dict[str, str] = {}
    for name, info in packages.items():
        for virtual in info["provides"].split(","):
            virtual = virtual.strip().split(" ")[0]
            if virtual:
                providers.setdefault(virtual, name)
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        name = name if name in packages else providers.get(name, name)
        if name in seen:
            continue
        seen.add(name)
        for clause in (packages.get(name) or {}).get("depends", "").split(","):
            alternatives = [a.strip().split(" ")[0].split(":")[0] for a in clause.split("|") if a.strip()]
            if alternatives:
                chosen = next((a for a in alternatives if a in packages or a in providers), alternatives[0])
                stack.append(chosen)
    return seen


def dockerfile_stages() -> list[tuple[str, str]]:
    """(FROM line, body) of each stage, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    text = re.sub(r"^\s*#.*$", "", text, flags=re.M)
    stages = re.split(r"^FROM\s+", text, flags=re.M)
    return [(s.splitlines()[0], s) for s in stages[1:]]


def apt_packages(stage_body: str) -> set[str]:
    packages: set[str] = set()
    for m in re.finditer(r"apt-get\s+install\s+([^&;|]*)", stage_body):
        packages.update(t for t in m.group(1).split() if not t.startswith("-"))
    return packages


def os_codename() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip('"')
    return ""


def check(bin_dir: Path, facts: codefacts.CodeFacts, r: Report) -> list[str]:
    """Adds failures to `r`; returns lines describing what was found."""

    stages = dockerfile_stages()
    runtime_from, runtime_body = stages[-1]
    build_body = "\n".join(body for _, body in stages[:-1])
    codename = os_codename()
    if not all(codename and codename in line for line, _ in stages):
        return [f"skipped: this machine is Debian '{codename}', the Dockerfile's stages are "
                f"{[line.split()[0] for line, _ in stages]}, so package names may differ"]
    runtime = apt_packages(runtime_body)

    swift = shutil.which("swift")
    swift_lib = str(Path(os.path.realpath(swift)).parents[1] / "lib" / "swift") if swift else None

    linked: dict[str, set[str]] = {}  # path -> executables
    swift_runtime: set[str] = set()
    for exe in facts.executables:
        binary = bin_dir / exe
        if not r.check(binary.is_file(), f"{rel(binary)} not found: build first (swift build)"):
            continue
        for soname, path in ldd(binary).items():
            if not r.check(bool(path), f"{exe}: ldd cannot find {soname} on this machine"):
                continue
            if swift_lib and os.path.realpath(path).startswith(swift_lib):
                swift_runtime.add(soname)
            else:
                linked.setdefault(path, set()).add(exe)

    if swift_runtime:
        static = re.search(r"swift build[^\n]*--static-swift-stdlib", build_body)
        copies = re.search(r"COPY\s+--from=\S+\s+\S*/lib/swift", runtime_body)
        r.check(bool(static or copies),
                f"the binaries load Swift runtime libraries ({', '.join(sorted(swift_runtime))}); the Dockerfile must "
                f"build with --static-swift-stdlib or copy them from the build stage")

    owners = dpkg_owners(sorted(linked))
    packages = installed_packages()
    base = {n for n, i in packages.items() if i["priority"] == "required" or i["essential"] == "yes"} | {"apt"}
    provided = closure(runtime | base, packages)
    needed: dict[str, set[str]] = {}
    for path, exes in sorted(linked.items()):
        pkg = owners.get(path)
        if not r.check(pkg is not None, f"{path} (linked by {', '.join(sorted(exes))}) belongs to no Debian package"):
            continue
        needed.setdefault(pkg, set()).add(os.path.basename(path))
        r.check(pkg in provided,
                f"{', '.join(sorted(exes))} link(s) {os.path.basename(path)} from package {pkg}, which the runtime "
                f"stage of {rel(DOCKERFILE)} does not install: add it to its apt-get install line")

    direct = sorted(p for p in needed if p in runtime)
    info = [f"the runtime stage installs {sorted(runtime)}; the binaries in {rel(bin_dir)} need {direct} named there, "
            f"{len(needed) - len(direct)} more packages come with those or with the base image"]
    unused = sorted(runtime - set(needed))
    if unused:
        info.append(f"installed but not linked (see the Dockerfile for why): {unused}")
    return info


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    r = Report("linked packages")
    for line in check(Path(sys.argv[1]), codefacts.load(), r):
        print(f"deploy-check: linked packages: {line}")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
