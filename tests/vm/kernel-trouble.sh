# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Kernel log lines that mean something went wrong in the kernel: guest.sh
# fails the run on them, tests/vm/run shows the first of them when the
# guest never finished.
# shellcheck disable=SC2034 # used by the scripts that source this
readonly KERNEL_TROUBLE='WARNING:|BUG:|kernel BUG at|Oops|general protection|lockdep|possible circular locking|possible recursive locking|INFO: task .* blocked|KASAN|UBSAN|kmemleak:|refcount_t|list_add corruption|list_del corruption|Call Trace|sleeping function called from invalid context|RCU stall|rcu_.*detected stall|usercopy:|ODEBUG|leaked reference|unregister_netdevice: waiting|Kernel panic'
