# frozen_string_literal: true

require "ffi"
require "ipaddr"
require_relative "utx/constants"

# Read every Unix system's login-accounting files (utmp, wtmp, btmp,
# lastlog and their successors wtmpdb, lastlog2, systemd-logind) through
# libutx.
#
#   Utx.open("/var/log/wtmp") do |r|
#     r.each { |e| puts "#{e.user} #{e.line} #{e.time}" if e.type == :user_process }
#   end
#
# Every Entry is a frozen copy: it stays valid after the reader moves on or
# closes. A Reader has a Mutex, so sharing one between threads is safe but
# serialised; different readers are independent.
module Utx
  VERSION = "1.0.0"

  # The C functions of include/utx.h. The library is $UTX_LIBRARY, else
  # libutx.so.1 (the SONAME, so a runtime-only install works), else utx.
  # Loading fails (LoadError) when its ut_abi_version() is not the
  # UTX_ABI_VERSION of the header the constants were generated from.
  module Lib
    extend FFI::Library
    ffi_lib [ENV["UTX_LIBRARY"], "libutx.so.1", "utx"].compact.reject(&:empty?)

    begin
      attach_function :ut_abi_version, [], :uint32
    rescue FFI::NotFoundError
      raise LoadError, "utx: #{ffi_libraries.first.name} is older than this gem (no ut_abi_version); " \
                       "it needs libutx ABI version #{C::UTX_ABI_VERSION}"
    end
    unless ut_abi_version == C::UTX_ABI_VERSION
      raise LoadError, "utx: #{ffi_libraries.first.name} has ABI version #{ut_abi_version}, " \
                       "this gem needs #{C::UTX_ABI_VERSION}"
    end

    # struct ut_entry
    class CEntry < FFI::Struct
      layout :size, :uint32, :entry_type, :int32, :raw_type, :int32, :flags, :uint32,
             :user, :pointer, :line, :pointer, :id, :pointer, :host, :pointer, :service, :pointer,
             :pid, :int64, :session, :int64, :uid, :int64,
             :exit_termination, :int32, :exit_status, :int32,
             :sec, :int64, :usec, :int32, :addr_family, :uint32, :addr, [:uint8, 16],
             :addr_text, :pointer, :format, :uint32, :offset, :uint64
    end

    # struct ut_session
    class CSession < FFI::Struct
      layout :size, :uint32, :kind, :uint32, :end, :uint32, :flags, :uint32,
             :user, :pointer, :line, :pointer, :id, :pointer, :host, :pointer,
             :addr_family, :uint32, :addr, [:uint8, 16], :addr_text, :pointer,
             :pid, :int64, :login_sec, :int64, :login_usec, :int32, :logout_usec, :int32,
             :logout_sec, :int64, :login_offset, :uint64, :logout_offset, :int64,
             :runlevel, :int32, :time_change, :uint32, :format, :uint32
    end

    # Calls that may wait (file and SQLite reads, with busy retries) release the GVL.
    B = { blocking: true }.freeze
    attach_function :ut_reader_open, %i[string uint32 uint32 pointer pointer size_t], :int32, B
    attach_function :ut_reader_open_memory, %i[pointer size_t uint32 uint32 pointer pointer size_t], :int32
    attach_function :ut_reader_open_files, %i[pointer size_t uint32 uint32 pointer pointer size_t], :int32, B
    attach_function :ut_reader_open_db_at, %i[string uint32 uint32 pointer pointer size_t], :int32, B
    attach_function :ut_reader_next, %i[pointer pointer], :int32, B
    attach_function :ut_reader_rewind, %i[pointer], :int32, B
    attach_function :ut_reader_set_types, %i[pointer uint32], :int32
    attach_function :ut_reader_set_time_range, %i[pointer int64 int64], :int32
    attach_function :ut_reader_seek_time, %i[pointer int64], :int32, B
    attach_function :ut_reader_close, %i[pointer], :void
    attach_function :ut_reader_format, %i[pointer pointer], :int32
    attach_function :ut_reader_skipped, %i[pointer pointer], :int32
    attach_function :ut_reader_error, %i[pointer pointer pointer], :int32
    attach_function :ut_reader_source, %i[pointer pointer], :int32
    attach_function :ut_status_str, %i[int32], :string
    attach_function :ut_format_name, %i[uint32], :string
    attach_function :ut_format_from_name, %i[string pointer], :int32
    attach_function :ut_version, [], :string
    attach_function :ut_count_users, %i[pointer uint32 uint32 pointer pointer size_t], :int32, B
    attach_function :ut_logind_list, %i[string uint32 pointer pointer size_t], :int32, B
    attach_function :ut_strlist_count, %i[pointer pointer], :int32
    attach_function :ut_strlist_get, %i[pointer size_t pointer], :int32
    attach_function :ut_strlist_close, %i[pointer], :void
    attach_function :ut_monitor_open_at, %i[string uint32 pointer pointer size_t], :int32
    attach_function :ut_monitor_fd, %i[pointer pointer], :int32
    attach_function :ut_monitor_flush, %i[pointer], :int32
    attach_function :ut_monitor_watched, %i[pointer pointer], :int32
    attach_function :ut_monitor_describe, %i[pointer pointer], :int32
    attach_function :ut_monitor_error, %i[pointer pointer pointer], :int32
    attach_function :ut_monitor_close, %i[pointer], :void
    attach_function :ut_sessions_open, %i[pointer uint32 pointer pointer size_t], :int32
    attach_function :ut_sessions_next, %i[pointer pointer], :int32, B
    attach_function :ut_sessions_close, %i[pointer], :void
  end

  # A libutx failure: #status (C::UT_ERR_*), #message, #errno (0 when none).
  class Error < StandardError
    STATUS = nil
    attr_reader :status, :errno

    def initialize(message = nil, status: nil, errno: 0)
      @status = status || self.class::STATUS
      @errno = errno
      super(message.to_s.empty? && @status ? Lib.ut_status_str(@status) : message)
    end
  end

  # UT_ERR_* -> Error subclass
  ERRORS = {}
  {
    NullArgument: C::UT_ERR_NULL, InvalidArgument: C::UT_ERR_INVALID, NotFound: C::UT_ERR_NOT_FOUND,
    PermissionDenied: C::UT_ERR_PERMISSION, IoError: C::UT_ERR_IO, FormatError: C::UT_ERR_FORMAT,
    Unsupported: C::UT_ERR_UNSUPPORTED, NoMemory: C::UT_ERR_NOMEM, InternalError: C::UT_ERR_INTERNAL
  }.each do |name, status|
    klass = Class.new(Error)
    klass.const_set(:STATUS, status)
    const_set(name, klass)
    ERRORS[status] = klass
  end
  ERRORS.freeze

  # One normalized record (frozen). Strings are UTF-8 when valid, else
  # binary; pid, session, uid and the exit fields are nil when unknown.
  Entry = Struct.new(:type, :raw_type, :user, :line, :id, :host, :service, :pid, :session, :uid,
                     :exit_termination, :exit_status, :sec, :usec, :time, :addr, :format, :offset, :flags)

  # A login paired with what ended it (frozen), as `last` shows it.
  Session = Struct.new(:kind, :end, :user, :line, :id, :host, :addr, :pid, :login, :logout,
                       :login_offset, :logout_offset, :runlevel, :time_change, :format)

  ERRLEN = 512

  class << self
    def error(status, message = "", errno = 0)
      ERRORS.fetch(status, Error).new(message, status: status, errno: errno)
    end

    # Call an opener with (..., out, errbuf, errlen); the new handle.
    def open_handle(fn, *args)
      out = FFI::MemoryPointer.new(:pointer)
      err = FFI::MemoryPointer.new(:char, ERRLEN)
      st = Lib.send(fn, *args, out, err, ERRLEN)
      raise error(st, err.read_string) unless st == C::UT_OK

      out.read_pointer
    end

    def str(ptr)
      return "" if ptr.null?

      s = ptr.read_string
      s.force_encoding(Encoding::UTF_8)
      s.valid_encoding? ? s : s.force_encoding(Encoding::BINARY)
    end

    def nil_if_unknown(n)
      n == -1 ? nil : n
    end

    def addr(family, bytes)
      case family
      when C::UT_ADDR_IPV4 then IPAddr.new_ntoh(bytes.to_a[0, 4].pack("C4"))
      when C::UT_ADDR_IPV6 then IPAddr.new_ntoh(bytes.to_a[0, 16].pack("C16"))
      end
    end

    def format_name(number)
      (@format_names ||= {})[number] ||= Lib.ut_format_name(number)&.freeze
    end

    def format_number(name)
      return 0 if name.nil?
      return name if name.is_a?(Integer)

      out = FFI::MemoryPointer.new(:uint32)
      st = Lib.ut_format_from_name(name.to_s.tr("_", "-"), out)
      raise error(st, "unknown format name #{name}") unless st == C::UT_OK

      out.read_uint32
    end

    def open_flags(reverse: false, live: false, all_sessions: false)
      (reverse ? C::UT_OPEN_REVERSE : 0) | (live ? C::UT_OPEN_LIVE : 0) |
        (all_sessions ? C::UT_OPEN_ALL_SESSIONS : 0)
    end

    # Yield the reader to the block, close it after and return the block's
    # value; without a block, return the reader.
    def with(reader, &block)
      return reader unless block

      begin
        yield reader
      ensure
        reader.close
      end
    end

    # Open a file (or, given an Array, files read as one history, oldest
    # first). format: a name ("linux-384-le", :linux_384_le) or nil to detect.
    def open(path, format: nil, reverse: false, types: nil, since: nil, until_time: nil, &block)
      fmt = format_number(format)
      flags = open_flags(reverse: reverse)
      h = if path.is_a?(Array)
            strs = path.map { |p| FFI::MemoryPointer.from_string(p.to_s) }
            arr = FFI::MemoryPointer.new(:pointer, strs.size)
            arr.write_array_of_pointer(strs)
            open_handle(:ut_reader_open_files, arr, strs.size, fmt, flags)
          else
            open_handle(:ut_reader_open, path.to_s, fmt, flags)
          end
      with(Reader.new(h, types: types, since: since, until_time: until_time), &block)
    end

    # Read records from a String of bytes (copied by the library).
    def from_bytes(bytes, format: nil, reverse: false, &block)
      buf = FFI::MemoryPointer.new(:uint8, [bytes.bytesize, 1].max)
      buf.put_bytes(0, bytes)
      h = open_handle(:ut_reader_open_memory, buf, bytes.bytesize, format_number(format), open_flags(reverse: reverse))
      with(Reader.new(h), &block)
    end

    def open_db(database, root: nil, reverse: false, live: false, all_sessions: false, types: nil, &block)
      flags = open_flags(reverse: reverse, live: live, all_sessions: all_sessions)
      with(Reader.new(open_handle(:ut_reader_open_db_at, root, database, flags), types: types), &block)
    end

    # Who is logged in now: this host's utmp, else logind's sessions.
    def utmp(**opts, &block) = open_db(C::UT_DB_UTMP, **opts, &block)
    # The login history: wtmp, else wtmpdb.
    def wtmp(**opts, &block) = open_db(C::UT_DB_WTMP, **opts, &block)
    # Failed logins.
    def btmp(**opts, &block) = open_db(C::UT_DB_BTMP, **opts, &block)
    # The last login of each user: lastlog, else lastlog2.
    def lastlog(**opts, &block) = open_db(C::UT_DB_LASTLOG, **opts, &block)

    # How many users are logged in on this host (as who -q counts them).
    def count_users(distinct: false)
      count_with(nil, C::UT_DB_UTMP, distinct, false)
    end

    def count_with(handle, database, distinct, include_dead)
      out = FFI::MemoryPointer.new(:uint64)
      err = FFI::MemoryPointer.new(:char, ERRLEN)
      flags = (distinct ? C::UT_COUNT_DISTINCT : 0) | (include_dead ? C::UT_COUNT_INCLUDE_DEAD : 0)
      st = Lib.ut_count_users(handle, database, flags, out, err, ERRLEN)
      raise error(st, err.read_string) unless st == C::UT_OK

      out.read_uint64
    end

    def version = Lib.ut_version

    def list(category, root)
      h = open_handle(:ut_logind_list, root, category)
      begin
        n = FFI::MemoryPointer.new(:size_t)
        Lib.ut_strlist_count(h, n)
        item = FFI::MemoryPointer.new(:pointer)
        Array.new(n.read(:size_t)) do |i|
          Lib.ut_strlist_get(h, i, item)
          str(item.read_pointer)
        end
      ensure
        Lib.ut_strlist_close(h)
      end
    end

    # logind's seats, sorted.
    def seats(root: nil) = list(C::UT_LOGIND_SEATS, root)
    # logind's session ids, sorted.
    def logind_sessions(root: nil) = list(C::UT_LOGIND_SESSIONS, root)
    # uids of users with logind state, ascending.
    def uids(root: nil) = list(C::UT_LOGIND_USERS, root).map(&:to_i)
    # Virtual machines and containers machined knows, sorted.
    def machines(root: nil) = list(C::UT_LOGIND_MACHINES, root)
  end

  # #each over #next_item (Reader: entries, Sessions: sessions).
  module Iterable
    include Enumerable

    # Yield each remaining item (an Enumerator without a block).
    def each
      return enum_for(:each) unless block_given?

      while (x = next_item)
        yield x
      end
      self
    end
  end

  # An open file, buffer or database; Enumerable over Entry.
  class Reader

    def initialize(handle, types: nil, since: nil, until_time: nil)
      @ptr = FFI::AutoPointer.new(handle, Lib.method(:ut_reader_close))
      @mutex = Mutex.new
      @out = FFI::MemoryPointer.new(:pointer)
      set_types(*types) if types
      set_time_range(since, until_time) if since || until_time
    rescue StandardError
      close
      raise
    end

    def closed? = @ptr.nil?

    # Free the reader; closing again is harmless.
    def close
      @mutex.synchronize do
        @ptr&.free
        @ptr = nil
      end
      nil
    end

    include Iterable

    # The next Entry, or nil at the end.
    def next_entry
      @mutex.synchronize do
        st = Lib.ut_reader_next(handle, @out)
        return nil if st == C::UT_END
        raise last_error(st) unless st == C::UT_OK

        entry(@out.read_pointer)
      end
    end
    alias next_item next_entry

    def rewind = locked { Lib.ut_reader_rewind(handle) }

    def set_types(*types)
      mask = types.flatten.sum { |t| 1 << type_number(t) }
      locked { Lib.ut_reader_set_types(handle, mask) }
    end

    def set_time_range(since, until_time)
      lo = since ? since.to_i : -(1 << 63)
      hi = until_time ? until_time.to_i : (1 << 63) - 1
      locked { Lib.ut_reader_set_time_range(handle, lo, hi) }
    end

    def seek_time(time) = locked { Lib.ut_reader_seek_time(handle, time.to_i) }

    def format = Utx.format_name(get(:ut_reader_format, :uint32))

    # What was opened: a path, "logind:/run/systemd", "memory"...
    def source = Utx.str(get(:ut_reader_source, :pointer))

    # Records skipped as corrupt so far.
    def skipped = get(:ut_reader_skipped, :uint64)

    # Count the remaining entries' logged-in users (as who -q).
    def count_users(distinct: false, include_dead: false)
      @mutex.synchronize { Utx.count_with(handle, 0, distinct, include_dead) }
    end

    # Pair the entries into sessions (open the reader with reverse: true).
    # With a block: yields the Sessions, closes it after, returns the block's value.
    def sessions(no_liveness: false, &block)
      s = Sessions.new(self, no_liveness)
      return s unless block

      begin
        yield s
      ensure
        s.close
      end
    end

    # For Sessions: run with this reader locked, given its handle.
    def synchronize(&block) = @mutex.synchronize { yield handle }

    def last_error(status)
      msg = FFI::MemoryPointer.new(:pointer)
      errno = FFI::MemoryPointer.new(:int32)
      Lib.ut_reader_error(@ptr, msg, errno)
      Utx.error(status, Utx.str(msg.read_pointer), errno.read_int32)
    end

    private

    def handle
      @ptr or raise IOError, "closed Utx::Reader"
    end

    def locked
      @mutex.synchronize do
        st = yield
        raise last_error(st) if st.negative?
      end
      self
    end

    def get(fn, type)
      out = FFI::MemoryPointer.new(type)
      locked { Lib.send(fn, handle, out) }
      type == :pointer ? out.read_pointer : out.read(type)
    end

    def type_number(t)
      t.is_a?(Integer) ? t : ENTRY_TYPES.key(t) || raise(ArgumentError, "unknown entry type #{t.inspect}")
    end

    # Field offsets of struct ut_entry: reading the pointer directly is
    # several times faster than FFI::Struct#[] on the hot path.
    E = Lib::CEntry.offsets.to_h.freeze

    def entry(p)
      sec = p.get_int64(E[:sec])
      usec = p.get_int32(E[:usec])
      time = (0..999_999).cover?(usec) ? Time.at(sec, usec, :usec, in: "UTC") : nil
      family = p.get_uint32(E[:addr_family])
      et = p.get_int32(E[:entry_type])
      Entry.new(ENTRY_TYPES.fetch(et, et), Utx.nil_if_unknown(p.get_int32(E[:raw_type])),
                Utx.str(p.get_pointer(E[:user])), Utx.str(p.get_pointer(E[:line])), Utx.str(p.get_pointer(E[:id])),
                Utx.str(p.get_pointer(E[:host])), Utx.str(p.get_pointer(E[:service])),
                Utx.nil_if_unknown(p.get_int64(E[:pid])), Utx.nil_if_unknown(p.get_int64(E[:session])),
                Utx.nil_if_unknown(p.get_int64(E[:uid])), Utx.nil_if_unknown(p.get_int32(E[:exit_termination])),
                Utx.nil_if_unknown(p.get_int32(E[:exit_status])), sec, usec, time,
                family.zero? ? nil : Utx.addr(family, p.get_array_of_uint8(E[:addr], 16)), Utx.format_name(p.get_uint32(E[:format])),
                p.get_uint64(E[:offset]), p.get_uint32(E[:flags])).freeze
    end
  end

  # Enumerable over Session, pairing a reverse reader's entries; it uses
  # (and locks) the reader until closed.
  class Sessions

    def initialize(reader, no_liveness)
      @reader = reader
      flags = no_liveness ? C::UT_SESSIONS_NO_LIVENESS : 0
      h = reader.synchronize { |rh| Utx.open_handle(:ut_sessions_open, rh, flags) }
      @ptr = FFI::AutoPointer.new(h, Lib.method(:ut_sessions_close))
      @out = FFI::MemoryPointer.new(:pointer)
    end

    include Iterable

    # The next Session, or nil at the end.
    def next_session
      @reader.synchronize do
        raise IOError, "closed Utx::Sessions" unless @ptr

        st = Lib.ut_sessions_next(@ptr, @out)
        return nil if st == C::UT_END
        raise @reader.last_error(st) unless st == C::UT_OK

        session(Lib::CSession.new(@out.read_pointer))
      end
    end
    alias next_item next_session

    def close
      @ptr&.free
      @ptr = nil
    end

    private

    def session(c)
      has_out = (c[:flags] & C::UT_SESSION_HAS_LOGOUT) != 0
      Session.new(SESSION_KINDS[c[:kind]], SESSION_ENDS[c[:end]], Utx.str(c[:user]), Utx.str(c[:line]),
                  Utx.str(c[:id]), Utx.str(c[:host]), Utx.addr(c[:addr_family], c[:addr]),
                  Utx.nil_if_unknown(c[:pid]), Time.at(c[:login_sec], c[:login_usec], :usec, in: "UTC"),
                  has_out ? Time.at(c[:logout_sec], c[:logout_usec], :usec, in: "UTC") : nil,
                  c[:login_offset], Utx.nil_if_unknown(c[:logout_offset]),
                  c[:runlevel].negative? ? nil : c[:runlevel].chr, TIME_CHANGES[c[:time_change]],
                  Utx.format_name(c[:format])).freeze
    end
  end

  # Watches logind state and utmp. #to_io becomes readable on a change
  # (IO.select([monitor])); call #flush, then read the state again.
  class Monitor
    def initialize(*categories, root: nil)
      cats = categories.empty? ? [:all] : categories
      mask = cats.sum { |c| CATEGORIES.key(c) || raise(KeyError, "unknown category #{c.inspect}") }
      h = Utx.open_handle(:ut_monitor_open_at, root, mask)
      @ptr = FFI::AutoPointer.new(h, Lib.method(:ut_monitor_close))
    end

    def fileno = get(:ut_monitor_fd, :int32)

    # An IO for the fd (not closing it), for IO.select.
    def to_io
      @to_io ||= IO.for_fd(fileno, autoclose: false)
    end

    def watched
      mask = get(:ut_monitor_watched, :uint32)
      CATEGORIES.select { |v, k| k != :all && (mask & v) != 0 }.values
    end

    def describe = Utx.str(get(:ut_monitor_describe, :pointer))

    def flush
      check(Lib.ut_monitor_flush(handle))
      self
    end

    def close
      @ptr&.free
      @ptr = nil
    end

    private

    def handle
      @ptr or raise IOError, "closed Utx::Monitor"
    end

    def check(st)
      return if st == C::UT_OK

      msg = FFI::MemoryPointer.new(:pointer)
      errno = FFI::MemoryPointer.new(:int32)
      Lib.ut_monitor_error(@ptr, msg, errno)
      raise Utx.error(st, Utx.str(msg.read_pointer), errno.read_int32)
    end

    def get(fn, type)
      out = FFI::MemoryPointer.new(type)
      check(Lib.send(fn, handle, out))
      type == :pointer ? out.read_pointer : out.read(type)
    end
  end
end
