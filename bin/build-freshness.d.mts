/** True when dist/ was built after the last change to any non-test source file. */
export function isBuildFresh(): boolean;
