import { Center, Loader } from '@mantine/core';

/** A centred spinner while the first answer is on its way. */
export function FullPageLoader() {
  return (
    <Center h="100vh" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}
