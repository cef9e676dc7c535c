# frozen_string_literal: true

Gem::Specification.new do |s|
  s.name = "utx"
  s.version = "1.0.0"
  s.summary = "Read every Unix system's login-accounting files through libutx"
  s.description = "utmp, wtmp, btmp, lastlog, wtmpdb, lastlog2 and systemd-logind state of any " \
                  "Unix system, as one normalized record, through libutx.so.1 (ffi)."
  s.authors = ["utx contributors"]
  s.licenses = ["MIT", "Apache-2.0"]
  s.files = ["lib/utx.rb", "lib/utx/constants.rb"]
  s.required_ruby_version = ">= 3.0"
  s.add_runtime_dependency "ffi", "~> 1.15"
end
