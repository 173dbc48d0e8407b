import { Content, Header, Page } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import { AuditLog } from '../AuditLog';
import { OwnershipReport } from '../OwnershipReport';
import { PipelinesTable } from '../PipelinesTable';

/** The AI Platform page body: pipelines, the ownership report and the audit log. */
export function AiPlatformContent() {
  const [tab, setTab] = useState(0);
  return (
    <Content>
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={tab} onChange={(_e, v) => setTab(v)}>
          <Tab label="Pipelines" />
          <Tab label="Ownership report" />
          <Tab label="Audit" />
        </Tabs>
      </Box>
      {tab === 0 && <PipelinesTable />}
      {tab === 1 && <OwnershipReport />}
      {tab === 2 && <AuditLog />}
    </Content>
  );
}

/** The AI Platform page with its own header, for apps on the legacy system. */
export function AiPlatformPage() {
  return (
    <Page themeId="tool">
      <Header
        title="AI Platform"
        subtitle="Who owns each AI pipeline, end to end, and where the gaps are"
      />
      <AiPlatformContent />
    </Page>
  );
}
