# utx: build, install and test entry points.
#
#   make                 build/libutx.so.1 (+ libutx.so), build/libutx.a, build/utx
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make header          regenerate include/utx.h (cbindgen, pinned in Cargo.lock)
#   make check-header    fail if include/utx.h is stale
#   make run             run `utx` on this host's databases (or the samples)
#   make test            every check; one PASS/FAIL line per step
#   make bench           bash bench/run.sh, then bench/sessions.sh
#
# The library is built by cargo from the C ABI crate (utx-c/, over the core
# crate at the root); this file only names, links and installs the results.
# Cargo decides whether anything needs recompiling, so the cargo step
# always runs and the copies below only change when it did.

CARGO     ?= cargo
CC        ?= cc
PKG_CONFIG ?= pkg-config
INSTALL   ?= install

PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

SONAME  = libutx.so.1
VERSION = $(shell sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)

B = build
CARGO_TARGET_DIR ?= target
RELEASE = $(CARGO_TARGET_DIR)/release

# The flags every C file in the project is held to.
C_STRICT = -std=c99 -Wall -Wextra -Wpedantic -Werror
CFLAGS  ?= -O2 -g
UTX_SRC  = $(sort $(wildcard examples/utx*.c))
UTX_HDRS = $(wildcard examples/*.h)

.PHONY: all lib header check-header install uninstall run test bench clean FORCE

all: lib $(if $(UTX_SRC),$(B)/utx)

lib: $(B)/$(SONAME) $(B)/libutx.so $(B)/libutx.a $(B)/native-static-libs

# One cargo invocation builds the ABI crate's cdylib and staticlib
# (target/release/libutx_c.so, libutx_c.a) and prints the native libraries
# a static consumer must add (pkg-config Libs.private). The note is
# replayed by cargo when nothing was rebuilt.
$(B)/cargo.stamp: FORCE | $(B)
	$(CARGO) rustc -p utx-c --release --lib --quiet -- --print native-static-libs 2> $(B)/cargo.log || { cat $(B)/cargo.log >&2; exit 1; }
	@grep -v -e 'native-static-libs' -e 'link against the following native artifacts' -e '^$$' $(B)/cargo.log >&2 || true
	@sed -n 's/^note: native-static-libs: *//p' $(B)/cargo.log | tail -n1 > $(B)/native-static-libs.new
	@test -s $(B)/native-static-libs.new || { echo "error: rustc printed no native-static-libs" >&2; exit 1; }
	@cmp -s $(B)/native-static-libs.new $(B)/native-static-libs 2>/dev/null || cp $(B)/native-static-libs.new $(B)/native-static-libs
	@cmp -s $(RELEASE)/libutx_c.so $(B)/$(SONAME) 2>/dev/null || cp $(RELEASE)/libutx_c.so $(B)/$(SONAME)
	@cmp -s $(RELEASE)/libutx_c.a $(B)/libutx.a 2>/dev/null || cp $(RELEASE)/libutx_c.a $(B)/libutx.a
	@touch -r $(B)/$(SONAME) $@

$(B)/$(SONAME) $(B)/libutx.a $(B)/native-static-libs: $(B)/cargo.stamp

$(B)/libutx.so: | $(B)
	ln -sf $(SONAME) $@

$(B):
	mkdir -p $@

# The command links the static library so it runs from build/ and from
# $(BINDIR) alike, with no rpath.
$(B)/utx: $(UTX_SRC) $(UTX_HDRS) include/utx.h $(B)/libutx.a $(B)/native-static-libs
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude -Iexamples -o $@ $(UTX_SRC) \
	    $(B)/libutx.a $$(cat $(B)/native-static-libs) $(LDFLAGS)

# --- header -----------------------------------------------------------------

# cbindgen is a pinned dev-dependency of utx-c: the test that checks the
# header also writes it, so no cbindgen binary is needed.
header:
	UTX_UPDATE_HEADER=1 $(CARGO) test -p utx-c --test header --quiet -- header_is_up_to_date

check-header:
	$(CARGO) test -p utx-c --test header --quiet

# --- install ----------------------------------------------------------------

$(B)/utx.pc: pkgconfig/utx.pc.in $(B)/native-static-libs Cargo.toml FORCE
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e "s|@LIBS_PRIVATE@|$$(cat $(B)/native-static-libs)|g" $< > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@

install: all $(B)/utx.pc
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(B)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libutx.so
	$(INSTALL) -m 644 $(B)/libutx.a $(DESTDIR)$(LIBDIR)/libutx.a
	$(INSTALL) -m 644 include/utx.h $(DESTDIR)$(INCLUDEDIR)/utx.h
	$(INSTALL) -m 644 $(B)/utx.pc $(DESTDIR)$(PKGCONFIGDIR)/utx.pc
	if [ -f $(B)/utx ]; then $(INSTALL) -d $(DESTDIR)$(BINDIR) && \
	    $(INSTALL) -m 755 $(B)/utx $(DESTDIR)$(BINDIR)/utx; fi

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libutx.so \
	    $(DESTDIR)$(LIBDIR)/libutx.a $(DESTDIR)$(INCLUDEDIR)/utx.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/utx.pc $(DESTDIR)$(BINDIR)/utx

# --- run, test, bench -------------------------------------------------------

run: all
	bash ci/run-main.sh $(B)/utx

test: all
	bash ci/test.sh

# The bench links the library built here instead of rebuilding its own.
bench: all
	UTX_LIB=$(CURDIR)/$(B)/libutx.a bash bench/run.sh
	UTX=$(CURDIR)/$(B)/utx bash bench/sessions.sh

clean:
	rm -rf $(B)

FORCE:
