# frozen_string_literal: true

# Tests of the Ruby binding (ruby -Ilib test/test_utx.rb). Truth comes from
# the C command built from the same library (`utx dump --json`, `utx last
# --json`) and from records written here byte by byte.
require "minitest/autorun"
require "json"
require "open3"
require "tmpdir"
require "fileutils"
require "utx"

REPO = File.expand_path("../../..", __dir__)
WTMP = File.join(REPO, "samples", "wtmp")
UTX = File.join(REPO, "build", "utx")

def c_dump(path)
  out, st = Open3.capture2(UTX, "dump", "--json", path)
  raise "utx dump failed" unless st.success?

  out.lines.map { |l| JSON.parse(l) }
end

# One glibc x86-64 utmp record (384 bytes), as <utmp.h> lays it out.
def linux_record(type: 7, pid: 42, line: "pts/3", id: "ts/3", user: "alice", host: "example.org",
                 sec: 1_700_000_000, usec: 250_000, addr: [192, 0, 2, 1])
  rec = [type, pid, line, id, user, host, 0, 0, 0, sec, usec, addr.pack("C*")]
        .pack("s<x2l<a32a4a32a256s<s<l<l<l<a16x20")
  raise "bad record size" unless rec.bytesize == 384

  rec
end

class ReadTest < Minitest::Test
  def test_entries_match_utx_dump
    want = c_dump(WTMP)
    got = Utx.open(WTMP, &:to_a)
    assert_equal want.size, got.size
    got.zip(want).each do |e, w|
      assert_equal w["type"], e.type.to_s.upcase
      assert_equal [w["user"], w["line"], w["id"], w["host"]], [e.user, e.line, e.id, e.host]
      assert_equal [w["sec"], w["usec"], w["offset"], w["format"]], [e.sec, e.usec, e.offset, e.format]
      assert_equal w["pid"] == -1 ? nil : w["pid"], e.pid
      assert_equal w["addr"], e.addr&.to_s || ""
      assert_equal w["time"], e.time.strftime("%Y-%m-%dT%H:%M:%S.%6NZ")
      assert e.time.utc?
      assert e.frozen?
    end
  end

  def test_reverse_types_and_range
    all = Utx.open(WTMP, &:to_a)
    assert_equal all.reverse, Utx.open(WTMP, reverse: true, &:to_a)
    users = all.select { |e| e.type == :user_process }
    refute_empty users
    assert_equal users, Utx.open(WTMP, types: [:user_process], &:to_a)
    mid = all[all.size / 2].time
    assert_equal all.select { |e| e.sec >= mid.to_i }, Utx.open(WTMP, since: mid, &:to_a)
  end

  # ut_entry and ut_session start with the library's sizeof: the FFI
  # copies of the layouts must agree.
  def test_struct_layouts_match_the_library
    out = FFI::MemoryPointer.new(:pointer)
    Utx.open(WTMP, reverse: true) do |r|
      r.synchronize { |h| assert_equal 0, Utx::Lib.ut_reader_next(h, out) }
      assert_equal Utx::Lib::CEntry.size, out.read_pointer.get_uint32(0)
      r.rewind
      r.sessions do |s|
        assert_equal 0, Utx::Lib.ut_sessions_next(s.instance_variable_get(:@ptr), out)
        assert_equal Utx::Lib::CSession.size, out.read_pointer.get_uint32(0)
      end
    end
  end

  def test_values_from_bytes
    Utx.from_bytes(linux_record(user: "b\xFFd".b), format: "linux-384-le") do |r|
      e = r.to_a.fetch(0)
      assert_equal "memory", r.source
      assert_equal "linux-384-le", r.format
      assert_equal :user_process, e.type
      assert_equal Encoding::BINARY, e.user.encoding
      assert_equal "b\xFFd".b, e.user
      assert_equal Encoding::UTF_8, e.line.encoding
      assert_equal 1, e.flags & Utx::C::UT_ENTRY_NOT_UTF8
      assert_equal [42, nil], [e.pid, e.uid]
      assert_equal Time.utc(2023, 11, 14, 22, 13, 20.25r), e.time
      assert_equal IPAddr.new("192.0.2.1"), e.addr
    end
  end

  def test_files_as_one_history
    assert_equal 2 * c_dump(WTMP).size, Utx.open([WTMP, WTMP]).count
  end

  def test_abi_and_versions
    assert_equal Utx::C::UTX_ABI_VERSION, Utx::Lib.ut_abi_version
    assert_equal Utx::C::UTX_VERSION_MAJOR, Utx.version.split(".").first.to_i
    assert_equal({ 1 => :seats, 2 => :sessions, 4 => :users, 8 => :machines, 16 => :utmp, 31 => :all },
                 Utx::CATEGORIES)
    # A library without ut_abi_version: loading the gem says so.
    lib = File.expand_path("..", __dir__) + "/lib"
    _out, err, st = Open3.capture3({ "UTX_LIBRARY" => "libc.so.6" }, RbConfig.ruby, "-I", lib, "-e", 'require "utx"')
    refute st.success?
    assert_includes err, "is older than this gem (no ut_abi_version)"
  end

  def test_close_twice_and_use_after_close
    r = Utx.open(WTMP)
    r.close
    r.close
    assert r.closed?
    assert_raises(IOError) { r.next_entry }
  end

  def test_rewind_and_count
    path = File.join(REPO, "samples", "utmp")
    users = c_dump(path).select { |e| e["type"] == "USER_PROCESS" && !e["user"].empty? }.map { |e| e["user"] }
    Utx.open(path) do |r|
      first = r.to_a
      r.rewind
      assert_equal first, r.to_a
      r.rewind
      assert_equal users.uniq.size, r.count_users(distinct: true, include_dead: true)
    end
  end

  def test_host_database_under_a_root
    Dir.mktmpdir do |root|
      FileUtils.mkdir_p(File.join(root, "var/log"))
      File.binwrite(File.join(root, "var/log/wtmp"), linux_record)
      Utx.wtmp(root: root) do |r|
        assert r.source.end_with?("/var/log/wtmp")
        assert_equal ["alice"], r.map(&:user)
      end
      assert_raises(Utx::NotFound) { Utx.lastlog(root: root) }
    end
  end
end

class ErrorTest < Minitest::Test
  def test_not_found
    e = assert_raises(Utx::NotFound) { Utx.open("/nonexistent/wtmp") }
    assert_kind_of Utx::Error, e
    assert_equal Utx::C::UT_ERR_NOT_FOUND, e.status
    assert_includes e.message, "/nonexistent/wtmp"
  end

  def test_format_errors
    assert_raises(Utx::InvalidArgument) { Utx.open(WTMP, format: "no-such-format") }
    assert_raises(Utx::FormatError) { Utx.from_bytes("\x01".b * 10, &:to_a) }
  end

  def test_permission
    skip "root reads a mode-000 file" if Process.euid.zero?
    Dir.mktmpdir do |d|
      f = File.join(d, "wtmp")
      File.binwrite(f, linux_record)
      File.chmod(0, f)
      assert_raises(Utx::PermissionDenied) { Utx.open(f) }
    end
  end
end

class SessionsTest < Minitest::Test
  def test_sessions_match_utx_last
    out, st = Open3.capture2(UTX, "last", "--json", "-x", "-f", WTMP)
    assert st.success?
    want = out.lines.map { |l| JSON.parse(l) }
    got = Utx.open(WTMP, reverse: true) { |r| r.sessions(&:to_a) }
    assert_equal want.size, got.size
    got.zip(want).each do |s, w|
      assert_equal [w["user"], w["line"], w["login_offset"], w["logout_offset"]],
                   [s.user, s.line, s.login_offset, s.logout_offset]
      assert_equal w["end"], s.end.to_s.tr("_", "-")
    end
  end
end

class ConcurrencyTest < Minitest::Test
  def test_many_threads_each_its_reader
    want = Utx.open(WTMP, &:to_a)
    results = Array.new(16) { Thread.new { Array.new(10) { Utx.open(WTMP, &:to_a) == want } } }.map(&:value)
    assert_equal [true] * 160, results.flatten
  end

  def test_one_reader_shared_is_serialised
    want = Utx.open(WTMP) { |r| r.map(&:offset) }
    Utx.open(WTMP) do |r|
      seen = Array.new(8) { Thread.new { r.map(&:offset) } }.flat_map(&:value)
      assert_equal want.sort, seen.sort
    end
  end

  def test_gc_stress
    want = Utx.open(WTMP, &:to_a)
    GC.stress = true
    got = Utx.open(WTMP, &:to_a)
    dropped = Utx.open(WTMP)
    dropped.next_entry
    dropped = nil # rubocop:disable Lint/UselessAssignment
    sessions = Utx.open(WTMP, reverse: true) { |r| r.sessions(no_liveness: true).first(3) }
  ensure
    GC.stress = false
    assert_equal want, got
    assert_equal 3, sessions.size
  end

  def test_dropped_readers_are_freed
    before = Dir.children("/proc/self/fd").size
    2000.times { Utx.open(WTMP).next_entry }
    GC.start
    assert_operator Dir.children("/proc/self/fd").size, :<, before + 16
  end
end

def logind_tree(root)
  { "seats" => "seat0", "sessions" => "3", "users" => "1000", "machines" => "vm1" }.each do |dir, name|
    FileUtils.mkdir_p(File.join(root, "run/systemd", dir))
    File.write(File.join(root, "run/systemd", dir, name), "")
  end
end

class LogindTest < Minitest::Test
  def test_lists_and_monitor
    Dir.mktmpdir do |root|
      logind_tree(root)
      assert_equal ["seat0"], Utx.seats(root: root)
      assert_equal ["3"], Utx.logind_sessions(root: root)
      assert_equal [1000], Utx.uids(root: root)
      assert_equal ["vm1"], Utx.machines(root: root)
      m = Utx::Monitor.new(:machines, root: root)
      assert_equal [:machines], m.watched
      assert_nil IO.select([m], nil, nil, 0)
      File.write(File.join(root, "run/systemd/machines/vm2"), "")
      assert_equal [[m], [], []], IO.select([m], nil, nil, 5)
      m.flush
      assert_equal %w[vm1 vm2], Utx.machines(root: root)
      m.close
      m.close
    end
  end
end
