# utx: build, install and test entry points.
#
#   make                 build/libutx.so.1 (+ libutx.so), build/libutx.a, build/utx
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make header          regenerate include/utx.h with the pinned cbindgen
#   make check-header    fail if include/utx.h is stale
#   make run             run `utx` on this host's databases (or the samples)
#   make test            every check; one PASS/FAIL line per step
#   make bench           bash bench/run.sh, then bench/sessions.sh
#   make fuzz            every cargo-fuzz target for FUZZ_SECONDS each (nightly)
#   make abi-baseline    rewrite abi/ (the ABI baseline) after a compatible change
#
# The library is built by cargo; this file only names, links and installs
# the results.  Cargo decides whether anything needs recompiling, so the
# cargo step always runs and the copies below only change when it did.

CARGO     ?= cargo
CBINDGEN  ?= cbindgen
CC        ?= cc
PKG_CONFIG ?= pkg-config
INSTALL   ?= install

# Pinned: cbindgen point releases change the generated text.
CBINDGEN_VERSION = 0.29.0

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

.PHONY: all lib header check-header check-cbindgen install uninstall run test bench fuzz abi-baseline clean FORCE

all: lib $(if $(UTX_SRC),$(B)/utx)

lib: $(B)/$(SONAME) $(B)/libutx.so $(B)/libutx.a $(B)/native-static-libs

# One cargo invocation builds the cdylib and the staticlib and prints the
# native libraries a static consumer must add (pkg-config Libs.private).
# The note is replayed by cargo when nothing was rebuilt.
$(B)/cargo.stamp: FORCE | $(B)
	$(CARGO) rustc --release --lib --quiet -- --print native-static-libs 2> $(B)/cargo.log || { cat $(B)/cargo.log >&2; exit 1; }
	@grep -v -e 'native-static-libs' -e 'link against the following native artifacts' -e '^$$' $(B)/cargo.log >&2 || true
	@sed -n 's/^note: native-static-libs: *//p' $(B)/cargo.log | tail -n1 > $(B)/native-static-libs.new
	@test -s $(B)/native-static-libs.new || { echo "error: rustc printed no native-static-libs" >&2; exit 1; }
	@cmp -s $(B)/native-static-libs.new $(B)/native-static-libs 2>/dev/null || cp $(B)/native-static-libs.new $(B)/native-static-libs
	@cmp -s $(RELEASE)/libutx.so $(B)/$(SONAME) 2>/dev/null || cp $(RELEASE)/libutx.so $(B)/$(SONAME)
	@cmp -s $(RELEASE)/libutx.a $(B)/libutx.a 2>/dev/null || cp $(RELEASE)/libutx.a $(B)/libutx.a
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

check-cbindgen:
	@v=$$($(CBINDGEN) --version 2>/dev/null | awk '{print $$2}'); \
	if [ "$$v" != "$(CBINDGEN_VERSION)" ]; then \
	    echo "error: cbindgen $(CBINDGEN_VERSION) required (found '$$v');" \
	         "run: cargo install --locked cbindgen@$(CBINDGEN_VERSION)" >&2; exit 1; fi

header: check-cbindgen
	$(CBINDGEN) --config cbindgen.toml --crate utx --output include/utx.h

check-header: check-cbindgen
	@tmp=$$(mktemp -d) && \
	$(CBINDGEN) --quiet --config cbindgen.toml --crate utx --output $$tmp/utx.h && \
	if diff -u include/utx.h $$tmp/utx.h > $$tmp/diff; then rm -rf $$tmp; \
	else cat $$tmp/diff; rm -rf $$tmp; \
	    echo "error: include/utx.h is stale (src/ffi changed); run 'make header' and commit it" >&2; exit 1; fi

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

# Each target runs alone on one core, seeded by fuzz/seed.sh; crashes go
# to fuzz/artifacts/<target>/ and fail the run.
FUZZ_SECONDS ?= 300
fuzz:
	FUZZ_REQUIRE=1 bash fuzz/run.sh $(FUZZ_SECONDS)

# The ABI description and #define list ci/test.sh's `abi` step compares
# against; commit them with the change that grew the ABI.
abi-baseline:
	bash abi/check.sh --update

clean:
	rm -rf $(B)

FORCE:
