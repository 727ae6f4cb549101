# Debian packages, built with debhelper and dh_dkms from debian/, as Debian
# builds its own *-dkms packages:
#
#   make deb [DEB_DIR=build/deb] [DEB_WORK=build/deb-work]
#       DEB_DIR/gaius-dkms_VERSION_all.deb: the module sources in
#       /usr/src/gaius-UPSTREAM; installing it has DKMS build and install the
#       modules for the running kernel and the newest one
#       DEB_DIR/gaius-tools_VERSION_ARCH.deb: the iptables plugins, gaiusctl,
#       the demo programs, the preload library and the man pages, under /usr
#       and beside them the source package (gaius_VERSION.dsc), the debug
#       symbols (gaius-tools-dbgsym) and the .changes and .buildinfo files
#
# VERSION is UPSTREAM (the file VERSION) with the commit, higher for each
# later commit (packaging/deb/version). packaging/deb/build.sh runs
# dpkg-buildpackage in a copy of the tree in DEB_WORK, so the checkout is
# not touched. make check makes the packages first, as do check-rt and
# check-debug: tests/netns/91-install-deb.sh installs them in the VM, and
# tests/host/deb-lintian.sh checks them with lintian.

DEB_DIR ?= $(BUILD)/deb
DEB_WORK ?= $(BUILD)/deb-work

.PHONY: deb

check check-rt check-debug: deb

deb:
	$(CURDIR)/packaging/deb/build.sh $(DEB_WORK) $(DEB_DIR)
