// Failpoints: named places where lockstep kills itself with SIGKILL when the
// environment asks for it, so crash tests can stop it at an exact point.
//
// A test cannot kill lockstep from outside in a phase that lasts
// milliseconds ("shadow_created" is over as soon as the applier starts), and
// polling the state database for it would lose that race most of the time.
// Killing itself at the named point is deterministic and otherwise exactly an
// operator's kill -9: no destructor, no flush, no log line, no exit handler.
#pragma once

#include <string_view>

namespace lockstep {

// Does nothing unless the environment variable LOCKSTEP_FAILPOINT equals
// `name`; then raises SIGKILL and never returns. LOCKSTEP_FAILPOINT=name:stop
// raises SIGSTOP instead: a lockstep that hangs with its sessions open, as a
// debugger, a frozen VM or a cut-off network leaves it. The variable is read
// once per process, on the first call.
void Failpoint(std::string_view name);
// The same place in the step of one DC: fires for `name` (every DC) and for
// `name@dc` (that DC only), so a multi-DC test can stop lockstep in one DC's
// step while the others have passed it.
void Failpoint(std::string_view name, std::string_view dc);

}  // namespace lockstep
