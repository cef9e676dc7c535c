# frozen_string_literal: true

# Print every entry of each file for bindings/compare-dump.py.
require "json"
require "utx"

def hex(s) = s.unpack1("H*")

out = $stdout
ARGV.each do |path|
  out.puts "FILE #{path}"
  Utx.open(path) do |r|
    r.each do |e|
      out.puts JSON.generate(
        format: e.format, offset: e.offset, type: e.type.is_a?(Symbol) ? e.type.to_s.upcase : e.type.to_s,
        raw_type: e.raw_type || -1, user_hex: hex(e.user), line_hex: hex(e.line), id_hex: hex(e.id),
        host_hex: hex(e.host), service_hex: hex(e.service), pid: e.pid || -1, session: e.session || -1,
        uid: e.uid || -1, exit_termination: e.exit_termination || -1, exit_status: e.exit_status || -1,
        sec: e.sec, usec: e.usec, addr: e.addr&.to_s || "", flags: e.flags
      )
    end
  end
end
