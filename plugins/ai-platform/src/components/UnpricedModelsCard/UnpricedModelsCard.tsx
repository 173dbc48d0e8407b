import { InfoCard } from '@backstage/core-components';
import { UnpricedModelsResponse } from '@aiplatform/plugin-ai-platform-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatCount } from '../../lib/format';

export interface UnpricedModelsCardProps {
  items: UnpricedModelsResponse['items'];
}

/** Models nobody could price: their cost is unknown, not zero. */
export function UnpricedModelsCard(props: UnpricedModelsCardProps) {
  const items = [...props.items].sort(
    (a, b) => b.requests - a.requests || a.model.localeCompare(b.model),
  );
  return (
    <InfoCard
      title="Unpriced models"
      subheader="Priced as unknown, not zero: their requests count, their cost is in no total"
    >
      {items.length === 0 ? (
        <Typography variant="body2">
          Every model used in this range has a price.
        </Typography>
      ) : (
        <>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            Neither the gateway nor the price table knows these models. Have the
            gateway report a cost, or add them to the price table.
          </Typography>
          <Table size="small" aria-label="unpriced models">
            <TableHead>
              <TableRow>
                <TableCell>Model</TableCell>
                <TableCell>Provider</TableCell>
                <TableCell align="right">Requests</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(item => (
                <TableRow key={`${item.provider ?? ''}/${item.model}`}>
                  <TableCell>{item.model}</TableCell>
                  <TableCell>{item.provider ?? 'unknown'}</TableCell>
                  <TableCell align="right">
                    {formatCount(item.requests)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </InfoCard>
  );
}
