#!/bin/bash
# Installs, or removes, the files mk/install.mk lists, each given as
# MODE,SOURCE,DESTINATION (DESTINATION absolute, under $DESTDIR if set):
#
#   packaging/install-files.sh install MODE,SOURCE,DESTINATION...
#   packaging/install-files.sh uninstall MODE,SOURCE,DESTINATION...
#
# install copies each SOURCE to DESTINATION with MODE, making directories
# as needed; uninstall removes each DESTINATION, and nothing else. Both
# print one line per file.

set -euo pipefail

usage() {
	echo "usage: $0 install|uninstall MODE,SOURCE,DESTINATION..." >&2
	exit 2
}

(($# >= 1)) || usage
action=$1
shift
for entry in "$@"; do
	IFS=, read -r mode source destination <<<"$entry"
	[[ -n $mode && -n $source && $destination == /* ]] || usage
	target=${DESTDIR:-}$destination
	case $action in
	install)
		install -D -m "$mode" "$source" "$target"
		printf '  INSTALL %s\n' "$target"
		;;
	uninstall)
		if [[ -e $target ]]; then
			rm -f "$target"
			printf '  REMOVE  %s\n' "$target"
		fi
		;;
	*) usage ;;
	esac
done
