import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { EntityRefOrText } from '../EntityRefOrText';

/** On a Group (or User) page: the AI pipeline stages it owns, in any pipeline. */
export function OwnedStagesCard() {
  const { entity } = useEntity();
  const api = useApi(aiPlatformApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getOwnedStages(ref),
    [api, ref],
  );

  return (
    <InfoCard
      title="AI pipeline stages"
      subheader="Stages this team owns, in its own and other teams' pipelines"
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.items.length === 0 && (
        <Typography variant="body2">
          {entity.kind.toLocaleLowerCase('en-US') === 'user'
            ? 'This user owns no stage of any AI pipeline.'
            : 'This team owns no stage of any AI pipeline.'}
        </Typography>
      )}
      {value && value.items.length > 0 && (
        <Table size="small" aria-label="owned stages">
          <TableHead>
            <TableRow>
              <TableCell>Pipeline</TableCell>
              <TableCell>Stage</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Owned through</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(item => (
              <TableRow key={`${item.pipeline}/${item.stage}`}>
                <TableCell>
                  <EntityRefOrText
                    value={item.pipeline}
                    title={item.pipelineTitle}
                  />
                </TableCell>
                <TableCell>{item.stage}</TableCell>
                <TableCell>{item.type}</TableCell>
                <TableCell>
                  {item.ownerSource === 'entity' && item.entityRef ? (
                    <EntityRefOrText value={item.entityRef} />
                  ) : (
                    <Chip
                      size="small"
                      variant="outlined"
                      label="named in the pipeline"
                    />
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
