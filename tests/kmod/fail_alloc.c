// SPDX-License-Identifier: GPL-2.0
/*
 * gaius_fail_alloc: makes one function that returns kmalloc()ed memory
 * return NULL instead, as if its allocation had failed, while the module is
 * loaded. A return probe frees what the function allocated and puts NULL
 * in its place, so nothing leaks. Debian's kernels have no fault injection
 * (CONFIG_FAULT_INJECTION is off); this is the part of it that the tests of
 * a failed allocation need (tests/netns/72-child-refused.sh). It is built
 * for the test VMs only, never installed.
 *
 *   modprobe gaius_fail_alloc func=caesar_ctx_alloc
 *   cat /sys/module/gaius_fail_alloc/parameters/failed   calls failed so far
 */
#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/slab.h>

static char *func;
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "the function to fail; it must return kmalloc()ed memory");

static atomic_t failed = ATOMIC_INIT(0);

static int failed_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&failed));
}

static const struct kernel_param_ops failed_ops = {
	.get = failed_get,
};

module_param_cb(failed, &failed_ops, NULL, 0444);
MODULE_PARM_DESC(failed, "how many calls were made to fail");

/* On the function's return, in its caller's context. */
static int fail_alloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	void *mem = (void *)regs_return_value(regs);

	/* A call that failed by itself is not counted. */
	if (!mem)
		return 0;
	kfree(mem);
	regs_set_return_value(regs, 0);
	atomic_inc(&failed);
	return 0;
}

static struct kretprobe fail_alloc_probe = {
	.handler = fail_alloc_ret,
	/* Calls in flight at once: one per CPU is plenty for the tests. */
	.maxactive = 64,
};

static int __init fail_alloc_init(void)
{
	if (!func || !*func)
		return -EINVAL;
	fail_alloc_probe.kp.symbol_name = func;
	return register_kretprobe(&fail_alloc_probe);
}

static void __exit fail_alloc_exit(void)
{
	unregister_kretprobe(&fail_alloc_probe);
}

module_init(fail_alloc_init);
module_exit(fail_alloc_exit);
MODULE_DESCRIPTION("gaius test: make an allocating function fail");
MODULE_LICENSE("GPL");
