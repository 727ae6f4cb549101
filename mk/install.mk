# Installing gaius on this machine, or into a staging tree:
#
#   make install [DESTDIR=] [KVER=] [prefix=/usr/local]
#                        install-modules and install-userspace
#   make install-modules the modules (built for KVER) into
#                        /lib/modules/KVER/updates/, then depmod -a KVER
#                        unless DESTDIR is set
#   make install-userspace
#                        the iptables plugins into xtables' plugin directory
#                        (where iptables looks for them); the demo programs,
#                        the preload library and the man pages under prefix
#   make uninstall       removes exactly what install put (same variables),
#                        then depmod -a KVER unless DESTDIR is set
#   make dkms-install [KVER=]
#                        install-dkms-source and dkms.conf (with the version),
#                        then dkms add, build and install for KVER
#   make dkms-remove     dkms remove --all, and the sources in /usr/src
#   make install-dkms-source [DESTDIR=]
#                        the module sources, kernel/ and include/, into
#                        /usr/src/gaius-VERSION (the gaius-dkms package's
#                        sources; its dkms.conf is dh_dkms' to write)
#
# The version is the file VERSION, the one place it is written.

GAIUS_VERSION := $(file <$(CURDIR)/VERSION)

prefix ?= /usr/local
bindir ?= $(prefix)/bin
sbindir ?= $(prefix)/sbin
mandir ?= $(prefix)/share/man
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
libdir ?= $(prefix)/lib$(if $(MULTIARCH),/$(MULTIARCH))
preloaddir ?= $(libdir)/gaius
xtlibdir ?= $(shell pkg-config --variable=xtlibdir xtables)
moduledir ?= /lib/modules/$(KVER)/updates
dkmssrcdir ?= /usr/src/gaius-$(GAIUS_VERSION)

# gaius-targets(8): the iptables plugins' man fragments as one page.
GAIUS_TARGETS_MAN := $(BUILD)/man/gaius-targets.8
XT_MAN_FRAGMENTS := $(sort $(wildcard $(CURDIR)/userspace/xtables/libxt_*.man))

# installed MODE,SOURCE,DIRECTORY: one entry of packaging/install-files.sh,
# the file SOURCE as DIRECTORY/its name.
installed = $(1),$(2),$(3)/$(notdir $(2))

# What install-userspace puts where, a file a line.
GAIUS_USERSPACE_FILES := \
	$(call installed,755,$(BUILD)/userspace/gaiusctl,$(sbindir)) \
	$(call installed,644,$(CURDIR)/docs/man/gaiusctl.8,$(mandir)/man8) \
	$(call installed,755,$(BUILD)/userspace/caesar-server,$(bindir)) \
	$(call installed,755,$(BUILD)/userspace/caesar-client,$(bindir)) \
	$(call installed,644,$(CURDIR)/docs/man/caesar-server.1,$(mandir)/man1) \
	$(call installed,644,$(CURDIR)/docs/man/caesar-client.1,$(mandir)/man1) \
	$(call installed,644,$(BUILD)/userspace/libgaius_preload.so,$(preloaddir)) \
	$(call installed,644,$(BUILD)/userspace/xtables/libxt_GAIUSENCRYPT.so,$(xtlibdir)) \
	$(call installed,644,$(BUILD)/userspace/xtables/libxt_GAIUSDECRYPT.so,$(xtlibdir)) \
	$(call installed,644,$(CURDIR)/docs/man/caesar.7,$(mandir)/man7) \
	$(call installed,644,$(GAIUS_TARGETS_MAN),$(mandir)/man8)

GAIUS_MODULE_FILES := $(foreach m,caesar xt_GAIUS,$(call installed,644,$(BUILD)/kernel/$(m).ko,$(moduledir)))

# What DKMS needs to build the modules: Kbuild and the sources (not the
# .mod.c files a build leaves in kernel/) and the headers, at the same
# places as here.
GAIUS_DKMS_SOURCES := kernel/Kbuild $(filter-out %.mod.c,$(wildcard kernel/*.[ch])) \
	$(shell cd $(CURDIR) && find include -name '*.h' | sort)
GAIUS_DKMS_FILES := $(foreach f,$(GAIUS_DKMS_SOURCES),644,$(CURDIR)/$(f),$(dkmssrcdir)/$(f))

INSTALL_FILES := DESTDIR='$(DESTDIR)' $(CURDIR)/packaging/install-files.sh
remove_if_empty = if [ -d '$(DESTDIR)$(1)' ]; then rmdir --ignore-fail-on-non-empty '$(DESTDIR)$(1)'; fi
# depmod for KVER, when installing on this machine.
DEPMOD := $(if $(DESTDIR),@:,depmod -a $(KVER))
DKMS_MODULE := -m gaius -v $(GAIUS_VERSION)

.PHONY: install install-modules install-userspace install-dkms-source \
	uninstall uninstall-modules uninstall-userspace dkms-install dkms-remove

# The page is built with everything else, for man -l.
all: $(GAIUS_TARGETS_MAN)

$(GAIUS_TARGETS_MAN): $(CURDIR)/packaging/man/gaius-targets.8.in $(CURDIR)/packaging/man/gaius-targets.sh \
		$(XT_MAN_FRAGMENTS) $(CURDIR)/VERSION
	@mkdir -p $(@D)
	$(CURDIR)/packaging/man/gaius-targets.sh $< $(GAIUS_VERSION) $(xtlibdir) $(XT_MAN_FRAGMENTS) >$@.tmp
	mv $@.tmp $@

install: install-modules install-userspace

install-modules: modules
	@$(INSTALL_FILES) install $(GAIUS_MODULE_FILES)
	$(DEPMOD)

install-userspace: userspace $(GAIUS_TARGETS_MAN)
	@$(INSTALL_FILES) install $(GAIUS_USERSPACE_FILES)

uninstall: uninstall-modules uninstall-userspace

# The directories install may have made for gaius alone go once empty.
uninstall-modules:
	@$(INSTALL_FILES) uninstall $(GAIUS_MODULE_FILES)
	@$(call remove_if_empty,$(moduledir))
	$(DEPMOD)

uninstall-userspace:
	@$(INSTALL_FILES) uninstall $(GAIUS_USERSPACE_FILES)
	@$(call remove_if_empty,$(preloaddir))

install-dkms-source:
	@$(INSTALL_FILES) install $(GAIUS_DKMS_FILES)

# dkms.conf with the version where #MODULE_VERSION# stands, as dh_dkms -V
# writes it into the package.
dkms-install: install-dkms-source
	sed 's/#MODULE_VERSION#/$(GAIUS_VERSION)/' $(CURDIR)/dkms.conf >'$(DESTDIR)$(dkmssrcdir)/dkms.conf'
	dkms add $(DKMS_MODULE)
	dkms build $(DKMS_MODULE) -k $(KVER)
	dkms install $(DKMS_MODULE) -k $(KVER)

# Only what dkms has: remove fails for a version it does not know.
dkms-remove:
	status=$$(dkms status $(DKMS_MODULE)) && if [ -n "$$status" ]; then dkms remove $(DKMS_MODULE) --all; fi
	rm -rf $(dkmssrcdir)
