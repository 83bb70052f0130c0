# Sourced by the checks that need Python tools (api_contract.sh, console_browser.sh):
# `checks_venv REQUIREMENTS PREFIX [DIR]` makes a venv with REQUIREMENTS installed, once per version
# of that file and of Python (in PREFIX-<key of both>, or in DIR when one is given), and prints its folder.
checks_venv() {
    local requirements=$1 prefix=$2 dir=${3:-} key
    if [[ -z $dir ]]; then
        key=$( (cat "$requirements"; python3 -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)
        dir=$prefix-$key
    fi
    if [[ ! -f $dir/.complete ]]; then
        printf 'checks: installing %s into %s (once)\n' "$(basename "$requirements")" "$dir" >&2
        rm -rf "$dir"
        mkdir -p "$(dirname "$dir")"
        python3 -m venv "$dir"
        "$dir/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2 ||
            { printf 'checks: ERROR: pip could not install %s\n' "$requirements" >&2; return 1; }
        touch "$dir/.complete"
    fi
    printf '%s\n' "$dir"
}
