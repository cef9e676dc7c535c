//! Auto-detection over every binary file of the shared corpus: each must
//! come out as exactly the format named here (Linux files stay Linux), or
//! be refused where the file is not a login record file at all.

use crate::helpers::corpus_root as corpus;
use utx::{Format, Options, Reader};

/// (path under the corpus, expected format name or error kind).
pub(crate) const EXPECTED: &[(&str, &str)] = &[
    ("dtformats/utmp-linux_libc6", "linux-384-le"),
    ("plaso/utmp", "linux-384-le"),
    ("plaso/utmp_aarch64", "linux-400-le"),
    ("plaso/utmp_corrupted", "linux-384-le"),
    ("plaso/utmp_s390", "linux-400-be"),
    ("plaso/utmp_x86_64", "linux-384-le"),
    ("plaso/wtmp.1", "linux-384-le"),
    ("s4/logs/CentOS7/x86_64/btmp", "linux-384-le"),
    ("s4/logs/CentOS7/x86_64/lastlog", "linux-lastlog-292-le"),
    ("s4/logs/CentOS7/x86_64/utmp", "linux-384-le"),
    ("s4/logs/CentOS7/x86_64/wtmp", "linux-384-le"),
    ("s4/logs/CentOS9/x86_64/btmp", "linux-384-le"),
    ("s4/logs/CentOS9/x86_64/wtmp", "linux-384-le"),
    (
        "s4/logs/Debian11/aarch64_ARMv6/lastlog",
        "linux-lastlog-292-le",
    ),
    ("s4/logs/Debian11/aarch64_ARMv6/utmp", "linux-384-le"),
    ("s4/logs/Debian11/aarch64_ARMv6/wtmp", "linux-384-le"),
    (
        "s4/logs/Debian11/armv6l_ARMv6/lastlog",
        "linux-lastlog-292-le",
    ),
    ("s4/logs/Debian11/armv6l_ARMv6/utmp", "linux-384-le"),
    ("s4/logs/Debian11/armv6l_ARMv6/wtmp", "linux-384-le"),
    (
        "s4/logs/Debian11/armv7l_ARMv6/lastlog",
        "linux-lastlog-292-le",
    ),
    ("s4/logs/Debian11/armv7l_ARMv6/utmp", "linux-384-le"),
    ("s4/logs/Debian11/armv7l_ARMv6/wtmp", "linux-384-le"),
    (
        "s4/logs/Debian11/armv7l_ARMv6/wtmp.1-2023010601.backup",
        "linux-384-le",
    ),
    ("s4/logs/Debian13/RISC-V/lastlog", "linux-lastlog-292-le"),
    ("s4/logs/Debian13/RISC-V/utmp", "linux-384-le"),
    ("s4/logs/Debian13/RISC-V/wtmp", "linux-384-le"),
    ("s4/logs/FreeBSD13.1/x86_64/utx.active", "freebsd-utx"),
    (
        "s4/logs/FreeBSD13.1/x86_64/utx.lastlogin",
        "freebsd-utx-lastlogin",
    ),
    ("s4/logs/FreeBSD13.1/x86_64/utx.log", "freebsd-utx-log"),
    ("s4/logs/NetBSD9.3/x86_64/lastlog", "netbsd-lastlog-32-le"),
    ("s4/logs/NetBSD9.3/x86_64/lastlogx", "netbsd-lastlogx"),
    ("s4/logs/NetBSD9.3/x86_64/utmp", "netbsd-utmp-40-le"),
    ("s4/logs/NetBSD9.3/x86_64/utmpx", "netbsd-utmpx-520-le"),
    ("s4/logs/NetBSD9.3/x86_64/wtmp", "netbsd-utmp-40-le"),
    ("s4/logs/NetBSD9.3/x86_64/wtmpx", "netbsd-utmpx-520-le"),
    (
        "s4/logs/OpenBSD7.4/x86_64/lastlog",
        "openbsd-lastlog-272-le",
    ),
    ("s4/logs/OpenBSD7.4/x86_64/utmp", "openbsd-utmp-304-le"),
    ("s4/logs/OpenBSD7.4/x86_64/wtmp", "openbsd-utmp-304-le"),
    ("s4/logs/OpenSUSE15/btmp", "linux-384-le"),
    ("s4/logs/OpenSUSE15/lastlog", "linux-lastlog-292-le"),
    ("s4/logs/OpenSUSE15/wtmp", "linux-384-le"),
    ("s4/logs/RedHatEnterprise9/x86_64/utmp", "linux-384-le"),
    ("s4/logs/Ubuntu16/x86_32/btmp", "linux-384-le"),
    ("s4/logs/Ubuntu16/x86_32/lastlog", "linux-lastlog-292-le"),
    ("s4/logs/Ubuntu16/x86_32/wtmp", "linux-384-le"),
    ("s4/logs/Ubuntu20/x86_64/lastlog", "linux-lastlog-292-le"),
    (
        "s4/logs/programs/utmp/1-byte (invalid).utmp",
        "ERR:NotRecognised",
    ),
    (
        "s4/logs/programs/utmp/1-byte (invalid).wtmp",
        "ERR:NotRecognised",
    ),
    (
        "s4/logs/programs/utmp/1-byte (invalid).wtmpx",
        "ERR:NotRecognised",
    ),
    ("s4/logs/programs/utmp/1-byte.wtmp", "ERR:NotRecognised"),
    ("s4/logs/programs/utmp/empty (invalid).wtmp", "linux-384-le"),
    (
        "s4/logs/programs/utmp/host-entry1.wtmp",
        "ERR:NotRecognised",
    ),
    (
        "s4/logs/programs/utmp/host-entry1_(all_0x00).wtmp",
        "linux-384-le",
    ),
    (
        "s4/logs/programs/utmp/host-entry1_(all_0xFF).wtmp",
        "ERR:NotRecognised",
    ),
    ("s4/logs/programs/utmp/host-entry6.wtmp", "linux-384-le"),
    ("solaris-synthetic/wtmpx", "solaris-utmpx-372-be"),
    ("util-linux/ts/utmp/subsec", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-a", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-a-old", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-b", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-b-old", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-ipv6", "utmpdump-text"),
    ("util-linux/ts/utmp/txt-ipv6-old", "utmpdump-text"),
    ("util-linux/ts/utmp/wtmp-a.BE", "linux-384-be"),
    ("util-linux/ts/utmp/wtmp-a.LE", "linux-384-le"),
    ("util-linux/ts/utmp/wtmp-b.BE", "linux-384-be"),
    ("util-linux/ts/utmp/wtmp-b.LE", "linux-384-le"),
    ("util-linux/ts/utmp/wtmp-ipv6.BE", "linux-384-be"),
    ("util-linux/ts/utmp/wtmp-ipv6.LE", "linux-384-le"),
    ("utmp-rs/basic32.utmp", "linux-384-le"),
    ("utmp-rs/basic64.utmp", "linux-400-le"),
    ("utmp-rs/empty.utmp", "linux-384-le"),
    ("utmp-rs/long_user_32.utmp", "linux-384-le"),
    ("utmp-rs/with_host_32.utmp", "linux-384-le"),
];

#[test]
fn every_corpus_file_is_detected_as_its_own_format() {
    let Some(c) = corpus() else { return };
    let mut wrong = Vec::new();
    for (path, want) in EXPECTED {
        let got = match Reader::open(c.join(path), Options::default()) {
            Ok(r) => r.format().name().to_string(),
            Err(e) => format!("ERR:{:?}", e.kind),
        };
        if got != *want {
            wrong.push(format!("{path}: got {got}, want {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The table names real formats (no typo hides a check).
    for (_, want) in EXPECTED {
        assert!(
            want.starts_with("ERR:") || Format::from_name(want).is_some(),
            "{want}"
        );
    }
}

/// No Linux corpus file is detected as another family's format.
#[test]
fn linux_files_stay_linux() {
    let Some(_) = corpus() else { return };
    for (path, want) in EXPECTED {
        if let Some(f) = Format::from_name(want) {
            let non_linux = path.contains("BSD") || path.contains("solaris");
            assert_eq!(
                f.family() != utx::format::Family::Linux,
                non_linux,
                "{path}: {want}"
            );
        }
    }
}

/// Every corpus file read as every format (forced), both directions: no
/// panic, no endless stream; wrong guesses give errors or odd entries.
#[test]
fn every_corpus_file_survives_every_forced_format() {
    let Some(c) = corpus() else { return };
    for (path, _) in EXPECTED {
        let bytes = std::fs::read(c.join(path)).unwrap();
        for f in Format::all() {
            for reverse in [false, true] {
                let opts = Options {
                    format: f,
                    reverse,
                    ..Options::default()
                };
                if let Ok(r) = Reader::from_bytes(&bytes, opts) {
                    let n = r.take(1_000_000).filter(|e| e.is_ok()).count();
                    assert!(n < 1_000_000, "{path} as {}", f.name());
                }
            }
        }
    }
}

/// The `confirmed` column of the format table says which formats a file
/// written by a real system backs: exactly the formats detected in the
/// corpus's real captures (plaso, utmp-rs, s4's system logs, util-linux's
/// files written by `utmpdump -r` in each byte order; not the s4
/// `programs` edge cases and the synthetic Solaris file), plus the
/// utmpdump text a real `utmpdump` printed and FreeBSD's utx.lastlogin
/// read as what its path says.
#[test]
fn confirmed_formats_are_those_of_real_files() {
    let Some(c) = corpus() else { return };
    let real = |p: &str| {
        p.starts_with("plaso/")
            || p.starts_with("utmp-rs/")
            || p.starts_with("util-linux/")
            || (p.starts_with("s4/logs/") && !p.starts_with("s4/logs/programs/"))
    };
    let mut seen: Vec<Format> = EXPECTED
        .iter()
        .filter(|(p, _)| real(p))
        .filter_map(|(_, want)| Format::from_name(want))
        .collect();
    let text = c.join("s4/logs/CentOS7/x86_64/wtmp.utmpdump.txt");
    let lastlogin = c.join("s4/logs/FreeBSD13.1/x86_64/utx.lastlogin");
    for (path, format) in [
        (&text, Format::Auto),
        (&lastlogin, Format::FreebsdUtxLastlogin),
    ] {
        let opts = Options {
            format,
            ..Options::default()
        };
        let r = Reader::open(path, opts).unwrap();
        seen.push(r.format());
        assert!(r.count() > 0, "{}", path.display());
    }
    seen.sort_by_key(|f| *f as u32);
    seen.dedup();
    let confirmed: Vec<Format> = Format::all().filter(|f| f.info().confirmed).collect();
    assert_eq!(seen, confirmed);
}
