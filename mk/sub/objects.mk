# The object rules of the C sub-builds (userspace/, tests/, tests/bench/,
# tests/fuzz/), each of which sets OBJ, CC, CPPFLAGS and CFLAGS and then
# includes this after its first target. A source that vpath finds in
# another directory builds into $(OBJ) under its own name.
# (In mk/sub/, not mk/: the top Makefile includes every mk/*.mk.)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The objects of shared libraries: position-independent, and only what
# they export is visible.
$(OBJ)/%.pic.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
