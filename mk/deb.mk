# Debian packages, made with dpkg-dev alone (no debhelper, no network):
#
#   make deb [DEB_DIR=build/deb]
#       DEB_DIR/gaius-dkms_VERSION_all.deb: the module sources in
#       /usr/src/gaius-VERSION; installing it has DKMS build and install the
#       modules for the running kernel and the newest one
#       DEB_DIR/gaius-tools_VERSION_ARCH.deb: the iptables plugins, the demo
#       programs, the preload library and the man pages, under /usr
#
# The install targets (mk/install.mk) stage each package's files in
# build/deb-stage/debian/PACKAGE, as debhelper would; then
# packaging/deb/build-debs.sh makes the packages. make check makes them
# first, as do check-rt and check-debug: tests/netns/91-install-deb.sh
# installs them in the VM.

DEB_DIR ?= $(BUILD)/deb
DEB_STAGE := $(BUILD)/deb-stage

.PHONY: deb

check check-rt check-debug: deb

# Built here, not by the install target's own make: with -j, two makes
# would build the same files at once.
deb: userspace $(BUILD)/man/gaius-targets.8
	rm -rf $(DEB_STAGE) $(DEB_DIR)/gaius-*.deb
	$(MAKE) install-userspace DESTDIR=$(DEB_STAGE)/debian/gaius-tools prefix=/usr
	$(MAKE) install-dkms-source DESTDIR=$(DEB_STAGE)/debian/gaius-dkms
	$(CURDIR)/packaging/deb/build-debs.sh $(GAIUS_VERSION) $(DEB_STAGE) $(DEB_DIR)
