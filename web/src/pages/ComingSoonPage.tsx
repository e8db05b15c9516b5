import { Anchor, Text } from '@mantine/core';
import { PageHeader } from '../components/PageHeader.tsx';

/** A page not built yet: says so, and where the same work can be done today. */
export function ComingSoonPage({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} description={what} />
      <Text>
        This page is not in the dashboard yet. Until it is, the same is done with the HTTP API (
        <Anchor href="/docs">API reference</Anchor>) or the <code>chorus</code> command.
      </Text>
    </>
  );
}
