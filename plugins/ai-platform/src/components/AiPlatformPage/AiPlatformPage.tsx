import { Content, Header, Page } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { AuditLog } from '../AuditLog';
import { OwnershipReport } from '../OwnershipReport';
import { PipelinesTable } from '../PipelinesTable';
import { SpendPage } from '../SpendPage';
import { AI_PLATFORM_SUB_PAGES, AiPlatformSubPagePath } from './subPages';

const CONTENT: Record<AiPlatformSubPagePath, JSX.Element> = {
  pipelines: <PipelinesTable />,
  ownership: <OwnershipReport />,
  audit: <AuditLog />,
  spend: <SpendPage />,
};

/** The sub-page `pathname` is on, below the page at `base`. */
function selectedSubPage(base: string, pathname: string) {
  const rest = pathname.slice(base.length).split('/')[1];
  return AI_PLATFORM_SUB_PAGES.find(page => page.path === rest)?.path;
}

/**
 * The AI Platform page for apps on the legacy frontend system: a header,
 * a tab (a link) per sub-page and the sub-page's route below the page's
 * own (`/ai-platform/pipelines`, ...). The page's own path redirects to
 * the first sub-page, with its query string. The new frontend system
 * builds the same page from `PageBlueprint` and `SubPageBlueprint`.
 */
export function AiPlatformPage() {
  const base = useRouteRef(rootRouteRef)().replace(/\/$/, '');
  const { pathname, search, hash } = useLocation();
  const selected = selectedSubPage(base, pathname);
  const first = AI_PLATFORM_SUB_PAGES[0].path;
  return (
    <Page themeId="tool">
      <Header
        title="AI Platform"
        subtitle="Who owns each AI pipeline, end to end, what AI costs, and where the gaps are"
      />
      <Box
        component="nav"
        aria-label="AI Platform"
        sx={{ gridArea: 'pageSubheader', bgcolor: 'background.paper', px: 3 }}
      >
        <Tabs value={selected ?? false}>
          {AI_PLATFORM_SUB_PAGES.map(page => (
            <Tab
              key={page.path}
              value={page.path}
              label={page.title}
              component={Link}
              to={`${base}/${page.path}`}
            />
          ))}
        </Tabs>
      </Box>
      <Routes>
        <Route
          index
          element={<Navigate to={`${base}/${first}${search}${hash}`} replace />}
        />
        {AI_PLATFORM_SUB_PAGES.map(page => (
          <Route
            key={page.path}
            path={`${page.path}/*`}
            element={<Content>{CONTENT[page.path]}</Content>}
          />
        ))}
      </Routes>
    </Page>
  );
}
