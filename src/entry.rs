//! The normalized entry: one struct for every format.
//!
//! Strings are kept as raw bytes (as stored on disk) with a NUL kept after
//! them, so the C layer can hand out pointers without copying.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::format::Format;

/// Normalized entry type. 0–9 follow the Linux/POSIX numbering; each format
/// maps its own numbers onto these and keeps the stored value in `raw_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum EntryType {
    Empty = 0,
    RunLevel = 1,
    BootTime = 2,
    NewTime = 3,
    OldTime = 4,
    InitProcess = 5,
    LoginProcess = 6,
    UserProcess = 7,
    DeadProcess = 8,
    Accounting = 9,
    Signature = 10,
    ShutdownTime = 11,
    /// A last-login record (lastlog, lastlog2, utx.lastlogin).
    LastLogin = 12,
}

impl EntryType {
    pub const ALL: [EntryType; 13] = [
        EntryType::Empty,
        EntryType::RunLevel,
        EntryType::BootTime,
        EntryType::NewTime,
        EntryType::OldTime,
        EntryType::InitProcess,
        EntryType::LoginProcess,
        EntryType::UserProcess,
        EntryType::DeadProcess,
        EntryType::Accounting,
        EntryType::Signature,
        EntryType::ShutdownTime,
        EntryType::LastLogin,
    ];

    /// The type with the Linux/glibc number `n`, if 0..=9.
    pub fn from_linux(n: i64) -> Option<EntryType> {
        if (0..=9).contains(&n) {
            Some(Self::ALL[n as usize])
        } else {
            None
        }
    }

    pub fn from_i32(n: i32) -> Option<EntryType> {
        Self::ALL.get(usize::try_from(n).ok()?).copied()
    }

    /// Upper-case name as in the C headers (`USER_PROCESS`).
    pub fn name(self) -> &'static str {
        let n = self.name_with_nul();
        &n[..n.len() - 1]
    }

    /// The name followed by a NUL, for the C ABI.
    pub fn name_with_nul(self) -> &'static str {
        match self {
            EntryType::Empty => "EMPTY\0",
            EntryType::RunLevel => "RUN_LVL\0",
            EntryType::BootTime => "BOOT_TIME\0",
            EntryType::NewTime => "NEW_TIME\0",
            EntryType::OldTime => "OLD_TIME\0",
            EntryType::InitProcess => "INIT_PROCESS\0",
            EntryType::LoginProcess => "LOGIN_PROCESS\0",
            EntryType::UserProcess => "USER_PROCESS\0",
            EntryType::DeadProcess => "DEAD_PROCESS\0",
            EntryType::Accounting => "ACCOUNTING\0",
            EntryType::Signature => "SIGNATURE\0",
            EntryType::ShutdownTime => "SHUTDOWN_TIME\0",
            EntryType::LastLogin => "LAST_LOGIN\0",
        }
    }

    /// Bit of this type in a type mask.
    pub fn mask_bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Address family of an entry's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u32)]
pub enum AddrFamily {
    #[default]
    None = 0,
    Ipv4 = 1,
    Ipv6 = 2,
}

/// Entry flags (bit values are part of the C ABI).
pub mod flags {
    /// A string field holds bytes that are not valid UTF-8.
    pub const NOT_UTF8: u32 = 1 << 0;
    /// A fixed-width string field filled its width (no NUL on disk).
    pub const FULL_WIDTH: u32 = 1 << 1;
    /// This entry stands for a trailing partial record; no field was decoded.
    pub const PARTIAL_RECORD: u32 = 1 << 2;
    /// The time is 0, negative, after 2100, or its microseconds are out of range.
    pub const TIME_IMPLAUSIBLE: u32 = 1 << 3;
    /// Corrupt bytes before this record were skipped.
    pub const RECOVERED: u32 = 1 << 4;
}

/// A string field: raw bytes with a NUL kept after them.
#[derive(Clone, Debug)]
pub struct Field(Vec<u8>);

impl Default for Field {
    fn default() -> Self {
        Field(vec![0])
    }
}

impl Field {
    /// The bytes, without the terminating NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..self.0.len() - 1]
    }

    /// The bytes, followed by a NUL.
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.0
    }

    pub fn clear(&mut self) {
        self.0.clear();
        self.0.push(0);
    }

    /// Replace the contents with `bytes`, cut at the first NUL.
    pub fn set(&mut self, bytes: &[u8]) {
        let n = memchr0(bytes);
        self.0.clear();
        self.0.extend_from_slice(&bytes[..n]);
        self.0.push(0);
    }

    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }

    pub fn is_empty(&self) -> bool {
        self.0.len() == 1
    }
}

/// Index of the first NUL, or the length.
pub(crate) fn memchr0(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())
}

/// One normalized login-accounting record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub entry_type: EntryType,
    /// The type number as stored, -1 when the format has none.
    pub raw_type: i32,
    pub user: Field,
    pub line: Field,
    pub id: Field,
    pub host: Field,
    pub service: Field,
    /// -1 when unknown.
    pub pid: i64,
    pub session: i64,
    pub uid: i64,
    pub exit_termination: i32,
    pub exit_status: i32,
    /// Seconds since the epoch, UTC.
    pub sec: i64,
    pub usec: i32,
    pub addr_family: AddrFamily,
    /// Network byte order; IPv4 in the first 4 bytes.
    pub addr: [u8; 16],
    pub addr_text: Field,
    pub format: Format,
    /// Byte offset of the record in its file (or row id for databases).
    pub offset: u64,
    pub flags: u32,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            entry_type: EntryType::Empty,
            raw_type: -1,
            user: Field::default(),
            line: Field::default(),
            id: Field::default(),
            host: Field::default(),
            service: Field::default(),
            pid: -1,
            session: -1,
            uid: -1,
            exit_termination: -1,
            exit_status: -1,
            sec: 0,
            usec: 0,
            addr_family: AddrFamily::None,
            addr: [0; 16],
            addr_text: Field::default(),
            format: Format::Auto,
            offset: 0,
            flags: 0,
        }
    }
}

/// Latest plausible time (2100-01-01).
const LATEST_PLAUSIBLE: i64 = 4_102_444_800;

impl Entry {
    /// Reset every field to its "unknown" value, keeping the buffers.
    pub fn reset(&mut self, format: Format, offset: u64) {
        self.entry_type = EntryType::Empty;
        self.raw_type = -1;
        for f in [
            &mut self.user,
            &mut self.line,
            &mut self.id,
            &mut self.host,
            &mut self.service,
            &mut self.addr_text,
        ] {
            f.clear();
        }
        self.pid = -1;
        self.session = -1;
        self.uid = -1;
        self.exit_termination = -1;
        self.exit_status = -1;
        self.sec = 0;
        self.usec = 0;
        self.addr_family = AddrFamily::None;
        self.addr = [0; 16];
        self.format = format;
        self.offset = offset;
        self.flags = 0;
    }

    /// Set a string field from a fixed-width on-disk field, noting full
    /// width and non-UTF-8 bytes in the flags.
    pub fn set_fixed(&mut self, which: StrField, raw: &[u8]) {
        let n = memchr0(raw);
        if n == raw.len() && n > 0 {
            self.flags |= flags::FULL_WIDTH;
        }
        let bytes = &raw[..n];
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            self.flags |= flags::NOT_UTF8;
        }
        self.field_mut(which).set(bytes);
    }

    /// Set a string field from a variable-length value (a database column
    /// or a text file), noting non-UTF-8 bytes in the flags.
    pub fn set_str(&mut self, which: StrField, bytes: &[u8]) {
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            self.flags |= flags::NOT_UTF8;
        }
        self.field_mut(which).set(bytes);
    }

    /// Set the address from a host field that is a literal IPv4 or IPv6
    /// address (as logind, wtmpdb and lastlog2 store it); otherwise leave
    /// it unset.
    pub fn set_addr_from_host_text(&mut self) {
        let parsed = std::str::from_utf8(self.host.as_bytes())
            .ok()
            .and_then(|s| s.parse::<std::net::IpAddr>().ok());
        match parsed {
            Some(std::net::IpAddr::V4(a)) => self.set_ipv4(a.octets()),
            Some(std::net::IpAddr::V6(a)) => {
                self.addr_family = AddrFamily::Ipv6;
                self.addr = a.octets();
                self.addr_text.set(a.to_string().as_bytes());
            }
            None => {}
        }
    }

    pub fn field_mut(&mut self, which: StrField) -> &mut Field {
        match which {
            StrField::User => &mut self.user,
            StrField::Line => &mut self.line,
            StrField::Id => &mut self.id,
            StrField::Host => &mut self.host,
            StrField::Service => &mut self.service,
        }
    }

    /// Set the address from 16 raw bytes the way util-linux decides:
    /// IPv4 when words 1–3 are zero, none when all are zero.
    pub fn set_addr_v6_bytes(&mut self, raw: &[u8; 16]) {
        if raw.iter().all(|&b| b == 0) {
            self.addr_family = AddrFamily::None;
            self.addr = [0; 16];
            self.addr_text.clear();
        } else if raw[4..].iter().all(|&b| b == 0) {
            self.set_ipv4([raw[0], raw[1], raw[2], raw[3]]);
        } else {
            self.addr_family = AddrFamily::Ipv6;
            self.addr = *raw;
            let mut s = String::with_capacity(40);
            let _ = write!(s, "{}", Ipv6Addr::from(*raw));
            self.addr_text.set(s.as_bytes());
        }
    }

    pub fn set_ipv4(&mut self, octets: [u8; 4]) {
        self.addr_family = AddrFamily::Ipv4;
        self.addr = [0; 16];
        self.addr[..4].copy_from_slice(&octets);
        let mut s = String::with_capacity(16);
        let _ = write!(s, "{}", Ipv4Addr::from(octets));
        self.addr_text.set(s.as_bytes());
    }

    /// Set the time and flag it when implausible.
    pub fn set_time(&mut self, sec: i64, usec: i64) {
        self.sec = sec;
        self.usec = usec.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
        if sec <= 0 || sec >= LATEST_PLAUSIBLE || !(0..1_000_000).contains(&usec) {
            self.flags |= flags::TIME_IMPLAUSIBLE;
        }
    }
}

/// Names the string fields an on-disk layout may fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrField {
    User,
    Line,
    Id,
    Host,
    Service,
}
