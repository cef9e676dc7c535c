# utx: build, install and test entry points.
#
#   make                 build/libutx.so.1 (+ libutx.so), build/libutx.a, build/utx,
#                        build/libutx-compat.so.1 (+ .so), build/libutx-compat.a
#   make install PREFIX=/usr/local [DESTDIR=...]  (also utx.1, libutx.3, bash completion)
#   make uninstall       remove what install put there
#   make header          regenerate include/utx.h (cbindgen, pinned in Cargo.lock)
#   make check-header    fail if include/utx.h is stale
#   make run             run `utx` on this host's databases (or the samples)
#   make test            every check; one PASS/FAIL line per step
#   make bench           bash bench/run.sh, bench/output.sh, bench/sessions.sh, bench/detect.sh, bench/write.sh, bench/bindings.sh, then bench/fleet.sh
#   make wheel           build/wheel/utx-*.whl: the Python binding with libutx.so.1 inside
#   make clean           remove build/ and cargo's target directory
#   make fuzz            every cargo-fuzz target for FUZZ_SECONDS each (nightly)
#   make abi-baseline    rewrite abi/ (the ABI baseline) after a compatible change
#
# The library is built by cargo from the C ABI crate (utx-c/, over the core
# crate at the root); this file only names, links and installs the results.
# Cargo decides whether anything needs recompiling, so the cargo step
# always runs and the copies below only change when it did.

CARGO     ?= cargo
CC        ?= cc
PKG_CONFIG ?= pkg-config
INSTALL   ?= install
OBJCOPY   ?= objcopy
# $(LD) and $(AR) are make's own defaults (ld, ar).

PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

SONAME  = libutx.so.1
# The POSIX utmpx drop-in (utx-compat/): its SONAME and exported names.
COMPAT_SONAME = libutx-compat.so.1
COMPAT_NAMES  = setutxent getutxent getutxid getutxline pututxline endutxent \
                utmpxname updwtmpx getutmp getutmpx login logout logwtmp
VERSION = $(shell sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)

B = build
CARGO_TARGET_DIR ?= target
RELEASE = $(CARGO_TARGET_DIR)/release
# Base name of cargo's artefacts: $(RELEASE)/lib$(CARGO_LIB).so and .a.
CARGO_LIB = utx_c

# The flags every C file in the project is held to.
C_STRICT = -std=c99 -Wall -Wextra -Wpedantic -Werror
CFLAGS  ?= -O2 -g
# The `utx` command: every C file of cmd/utx/ and its one header.
UTX_SRC  = $(sort $(wildcard cmd/utx/*.c))
UTX_HDRS = $(wildcard cmd/utx/*.h)

.PHONY: all lib compat hide-static hide-compat header check-header install uninstall run test bench wheel fuzz abi-baseline clean FORCE

all: lib compat $(if $(UTX_SRC),$(B)/utx)

lib: $(B)/$(SONAME) $(B)/libutx.so $(B)/libutx.a $(B)/native-static-libs

# One cargo invocation builds the ABI crate's cdylib and staticlib
# (target/release/libutx_c.so, libutx_c.a) and prints the native libraries
# a static consumer must add (pkg-config Libs.private). The note is
# replayed by cargo when nothing was rebuilt.  -lgcc_s is left out: it has
# no static version, so it breaks `cc -static`, and the C compiler driver
# adds the unwinder itself (libgcc_s, or libgcc_eh when linking statically).
$(B)/cargo.stamp: FORCE | $(B)
	$(CARGO) rustc -p utx-c --release --lib --quiet -- --print native-static-libs 2> $(B)/cargo.log || { cat $(B)/cargo.log >&2; exit 1; }
	@grep -v -e 'native-static-libs' -e 'link against the following native artifacts' -e '^$$' $(B)/cargo.log >&2 || true
	@sed -n 's/^note: native-static-libs: *//p' $(B)/cargo.log | tail -n1 | \
	    tr ' ' '\n' | grep -vx -e '-lgcc_s' -e '' | paste -sd' ' > $(B)/native-static-libs.new
	@test -s $(B)/native-static-libs.new || { echo "error: rustc printed no native-static-libs" >&2; exit 1; }
	@cmp -s $(B)/native-static-libs.new $(B)/native-static-libs 2>/dev/null || cp $(B)/native-static-libs.new $(B)/native-static-libs
	@cmp -s $(RELEASE)/lib$(CARGO_LIB).so $(B)/$(SONAME) 2>/dev/null || cp $(RELEASE)/lib$(CARGO_LIB).so $(B)/$(SONAME)
	@[ $(B)/libutx.a -nt $(RELEASE)/lib$(CARGO_LIB).a ] && [ $(B)/libutx.a -nt Makefile ] || \
	    $(MAKE) --no-print-directory -s hide-static
	@touch -r $(B)/$(SONAME) $@

$(B)/$(SONAME) $(B)/libutx.a $(B)/native-static-libs: $(B)/cargo.stamp

# build/libutx.a is cargo's staticlib made fit for C consumers.  Cargo's
# archive holds some 300 objects (the crate, Rust's std, the bundled SQLite,
# compiler builtins) that define thousands of global symbols, so a program
# linking its own SQLite would bind to one of two copies.  A partial link
# makes them one object; objcopy then turns every global symbol but ut_*
# local (what libutx.map does for the .so) and drops the debug info and the
# LLVM bitcode (.llvmbc, .llvmcmd) that no C linker reads; a second pass
# drops the local symbols no relocation needs.  Remade when cargo rebuilt
# its archive or this Makefile changed.
# $(call hide,CARGO-ARCHIVE,OUTPUT,OBJCOPY-KEEP-FLAGS): that recipe.
define hide
	rm -rf $(2).tmp && mkdir $(2).tmp
	$(LD) -r --whole-archive -o $(2).tmp/all.o $(1)
	$(OBJCOPY) -w $(3) --strip-debug \
	    --remove-section=.llvmbc --remove-section=.llvmcmd $(2).tmp/all.o
	$(OBJCOPY) --strip-unneeded $(2).tmp/all.o $(2).tmp/lib.o
	$(AR) rcs $(2).tmp/lib.a $(2).tmp/lib.o
	mv $(2).tmp/lib.a $(2) && rm -rf $(2).tmp
endef
hide-static: | $(B)
	$(call hide,$(RELEASE)/lib$(CARGO_LIB).a,$(B)/libutx.a,--keep-global-symbol='ut_*')

# libutx-compat.a the same way, keeping only the POSIX names global.
hide-compat: | $(B)
	$(call hide,$(RELEASE)/libutx_compat.a,$(B)/libutx-compat.a,$(COMPAT_NAMES:%=--keep-global-symbol=%))

# The drop-in: one cargo build of utx-compat (cdylib + staticlib). Its
# static consumers need the same native libraries as libutx's.
compat: $(B)/$(COMPAT_SONAME) $(B)/libutx-compat.so $(B)/libutx-compat.a

$(B)/compat.stamp: FORCE | $(B)
	$(CARGO) build -p utx-compat --release --lib --quiet
	@cmp -s $(RELEASE)/libutx_compat.so $(B)/$(COMPAT_SONAME) 2>/dev/null || cp $(RELEASE)/libutx_compat.so $(B)/$(COMPAT_SONAME)
	@[ $(B)/libutx-compat.a -nt $(RELEASE)/libutx_compat.a ] && [ $(B)/libutx-compat.a -nt Makefile ] || \
	    $(MAKE) --no-print-directory -s hide-compat
	@touch -r $(B)/$(COMPAT_SONAME) $@

$(B)/$(COMPAT_SONAME) $(B)/libutx-compat.a: $(B)/compat.stamp

$(B)/libutx-compat.so: | $(B)
	ln -sf $(COMPAT_SONAME) $@

$(B)/libutx.so: | $(B)
	ln -sf $(SONAME) $@

$(B):
	mkdir -p $@

# The command links the static library so it runs from build/ and from
# $(BINDIR) alike, with no rpath.
$(B)/utx: $(UTX_SRC) $(UTX_HDRS) include/utx.h $(B)/libutx.a $(B)/native-static-libs
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude -Icmd/utx -o $@ $(UTX_SRC) \
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

$(B)/utx-compat.pc: pkgconfig/utx-compat.pc.in $(B)/native-static-libs Cargo.toml FORCE
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e "s|@LIBS_PRIVATE@|$$(cat $(B)/native-static-libs)|g" $< > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm -f $@.new || mv $@.new $@

install: all $(B)/utx.pc $(B)/utx-compat.pc
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(B)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libutx.so
	$(INSTALL) -m 644 $(B)/libutx.a $(DESTDIR)$(LIBDIR)/libutx.a
	$(INSTALL) -m 644 include/utx.h $(DESTDIR)$(INCLUDEDIR)/utx.h
	$(INSTALL) -m 644 $(B)/utx.pc $(DESTDIR)$(PKGCONFIGDIR)/utx.pc
	$(INSTALL) -m 755 $(B)/$(COMPAT_SONAME) $(DESTDIR)$(LIBDIR)/$(COMPAT_SONAME)
	ln -sf $(COMPAT_SONAME) $(DESTDIR)$(LIBDIR)/libutx-compat.so
	$(INSTALL) -m 644 $(B)/libutx-compat.a $(DESTDIR)$(LIBDIR)/libutx-compat.a
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/utx
	$(INSTALL) -m 644 include/utx/utmpx.h $(DESTDIR)$(INCLUDEDIR)/utx/utmpx.h
	$(INSTALL) -m 644 $(B)/utx-compat.pc $(DESTDIR)$(PKGCONFIGDIR)/utx-compat.pc
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 644 man/libutx.3 $(DESTDIR)$(MANDIR)/man3/libutx.3
	if [ -f $(B)/utx ]; then $(INSTALL) -d $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) && \
	    $(INSTALL) -m 755 $(B)/utx $(DESTDIR)$(BINDIR)/utx && \
	    $(INSTALL) -m 644 man/utx.1 $(DESTDIR)$(MANDIR)/man1/utx.1 && \
	    $(INSTALL) -m 644 completions/utx.bash $(DESTDIR)$(BASHCOMPDIR)/utx; fi

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libutx.so \
	    $(DESTDIR)$(LIBDIR)/libutx.a $(DESTDIR)$(INCLUDEDIR)/utx.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/utx.pc $(DESTDIR)$(BINDIR)/utx \
	    $(DESTDIR)$(MANDIR)/man1/utx.1 $(DESTDIR)$(MANDIR)/man3/libutx.3 \
	    $(DESTDIR)$(BASHCOMPDIR)/utx \
	    $(DESTDIR)$(LIBDIR)/$(COMPAT_SONAME) $(DESTDIR)$(LIBDIR)/libutx-compat.so \
	    $(DESTDIR)$(LIBDIR)/libutx-compat.a $(DESTDIR)$(INCLUDEDIR)/utx/utmpx.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/utx-compat.pc
	-rmdir $(DESTDIR)$(INCLUDEDIR)/utx 2>/dev/null

# --- run, test, bench -------------------------------------------------------

run: all
	bash ci/run-main.sh $(B)/utx

test: all
	bash ci/test.sh

# The bench links the library built here instead of rebuilding its own.
# One table of ratios against the peers and build/bench.json (bench/all.sh
# runs bench/{run,output,sessions,detect,scaling,write,bindings,fleet}.sh).
bench: all
	UTX=$(CURDIR)/$(B)/utx UTX_LIB=$(CURDIR)/$(B)/libutx.a bash bench/all.sh

# The Python package as a platform wheel that bundles the library; built by
# its own dependency-free backend, so it needs no network.
PYTHON ?= python3
wheel: lib
	rm -rf $(B)/wheel
	UTX_BUNDLE_LIB=$(CURDIR)/$(B)/$(SONAME) $(PYTHON) -m pip wheel --no-index --no-deps -q -w $(B)/wheel bindings/python

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
	$(CARGO) clean

FORCE:
