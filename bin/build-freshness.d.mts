/** True when dist/ was built after the last change to any source file the build compiles. */
export function isBuildFresh(): boolean;
