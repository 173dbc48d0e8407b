import { Content, Header, Page } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import { AuditLog } from '../AuditLog';
import { OwnershipReport } from '../OwnershipReport';
import { PipelinesTable } from '../PipelinesTable';
import { SpendPage } from '../SpendPage';

/** The AI Platform page body: pipelines, the ownership report, the audit log and AI spend. */
export function AiPlatformContent() {
  const [tab, setTab] = useState(0);
  return (
    <Content>
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs value={tab} onChange={(_e, v) => setTab(v)}>
          <Tab label="Pipelines" />
          <Tab label="Ownership report" />
          <Tab label="Audit" />
          <Tab label="Spend" />
        </Tabs>
      </Box>
      {tab === 0 && <PipelinesTable />}
      {tab === 1 && <OwnershipReport />}
      {tab === 2 && <AuditLog />}
      {tab === 3 && <SpendPage />}
    </Content>
  );
}

/** The AI Platform page with its own header, for apps on the legacy system. */
export function AiPlatformPage() {
  return (
    <Page themeId="tool">
      <Header
        title="AI Platform"
        subtitle="Who owns each AI pipeline, end to end, what AI costs, and where the gaps are"
      />
      <AiPlatformContent />
    </Page>
  );
}
