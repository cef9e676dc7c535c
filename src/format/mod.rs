//! On-disk formats: one module per family, plus detection.
//!
//! Fixed-size record formats are data: a [`layout::RecordLayout`] row
//! (record size, byte order, field offsets, a type mapping). The few formats
//! that are not fixed-size records have their own stream types.

pub mod detect;
pub mod lastlog2;
pub mod layout;
pub mod linux;
pub mod utmpdump_text;
pub mod wtmpdb;

use layout::RecordLayout;

/// Every format utx knows. The numbers are part of the C ABI: never reuse
/// or renumber, only append.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Format {
    /// Detect from content.
    Auto = 0,
    Glibc384Le = 1,
    Glibc384Be = 2,
    Glibc400Le = 3,
    Glibc400Be = 4,
    /// m68k: no padding after `ut_type`.
    Glibc382Be = 5,
    /// arc, or1k: 64-bit time, 4-byte alignment.
    Glibc392Le = 6,
    Glibc392Be = 7,
    /// utmps (skarnet) and musl: 400 bytes, 32-bit session.
    Utmps400Le = 8,
    Utmps400Be = 9,
    Lastlog292Le = 10,
    Lastlog292Be = 11,
    Lastlog296Le = 12,
    Lastlog296Be = 13,
    /// util-linux `utmpdump` text.
    UtmpdumpText = 14,
    /// wtmpdb SQLite database (the wtmp successor).
    Wtmpdb = 15,
    /// lastlog2 SQLite database (the lastlog successor).
    Lastlog2 = 16,
    /// systemd-logind state under /run/systemd.
    Logind = 17,
}

/// One row per format, in ABI order, with its name (NUL-terminated for
/// the C ABI). Names are what `utx --format NAME` accepts.
const NAMES: &[(Format, &str)] = &[
    (Format::Auto, "auto\0"),
    (Format::Glibc384Le, "linux-384-le\0"),
    (Format::Glibc384Be, "linux-384-be\0"),
    (Format::Glibc400Le, "linux-400-le\0"),
    (Format::Glibc400Be, "linux-400-be\0"),
    (Format::Glibc382Be, "linux-m68k-382-be\0"),
    (Format::Glibc392Le, "linux-392-le\0"),
    (Format::Glibc392Be, "linux-392-be\0"),
    (Format::Utmps400Le, "utmps-400-le\0"),
    (Format::Utmps400Be, "utmps-400-be\0"),
    (Format::Lastlog292Le, "linux-lastlog-292-le\0"),
    (Format::Lastlog292Be, "linux-lastlog-292-be\0"),
    (Format::Lastlog296Le, "linux-lastlog-296-le\0"),
    (Format::Lastlog296Be, "linux-lastlog-296-be\0"),
    (Format::UtmpdumpText, "utmpdump-text\0"),
    (Format::Wtmpdb, "wtmpdb\0"),
    (Format::Lastlog2, "lastlog2\0"),
    (Format::Logind, "logind\0"),
];

impl Format {
    pub fn from_u32(n: u32) -> Option<Format> {
        NAMES.iter().map(|(f, _)| *f).find(|f| *f as u32 == n)
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::all_with_auto().find(|f| f.name() == name)
    }

    /// The name, as `utx --format NAME` takes it.
    pub fn name(self) -> &'static str {
        let n = self.name_with_nul();
        &n[..n.len() - 1]
    }

    /// The name followed by a NUL, for the C ABI.
    pub fn name_with_nul(self) -> &'static str {
        NAMES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .expect("every format has a name")
    }

    fn all_with_auto() -> impl Iterator<Item = Format> {
        NAMES.iter().map(|(f, _)| *f)
    }

    /// Every format except `Auto`, in ABI order.
    pub fn all() -> impl Iterator<Item = Format> {
        NAMES.iter().map(|(f, _)| *f).filter(|f| *f != Format::Auto)
    }

    /// The record layout of a fixed-size record format.
    pub fn layout(self) -> Option<&'static RecordLayout> {
        layout::ALL.iter().copied().find(|l| l.format == self)
    }
}
