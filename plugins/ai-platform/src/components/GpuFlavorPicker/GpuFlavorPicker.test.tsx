import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { ScaffolderOptionsResponse } from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import { mockAiPlatformApi } from '../../testUtils';
import {
  GpuFlavorPicker,
  GpuFlavorPickerProps,
  GpuFlavorPickerUiOptions,
} from './GpuFlavorPicker';

const FLAVORS: ScaffolderOptionsResponse['gpu']['flavors'] = [
  {
    name: 'a100-80gb',
    resource: 'nvidia.com/gpu',
    product: 'NVIDIA-A100-SXM4-80GB',
    memory: '81920',
    kueueQueue: 'ml-gpu',
  },
  { name: 'mig-1g', resource: 'nvidia.com/mig-1g.10gb' },
];

function mockApi(
  gpu: Partial<ScaffolderOptionsResponse['gpu']> = {},
): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    getScaffolderOptions: jest.fn(async (owner: string) => ({
      owner,
      models: [],
      gpu: { flavors: FLAVORS, quota: 8, currentUse: 6, ...gpu },
    })),
  });
}

/** The field as the scaffolder renders it, its value kept in state. */
function Harness(props: {
  owner?: string;
  ownerField?: string;
  initial?: string;
  uiOptions?: GpuFlavorPickerUiOptions;
  onChange: jest.Mock;
}) {
  const [value, setValue] = useState(props.initial);
  const fieldProps = {
    formData: value,
    onChange: (next: string | undefined) => {
      props.onChange(next);
      setValue(next);
    },
    schema: { title: 'GPU flavor', type: 'string' },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    formContext: {
      formData: { [props.ownerField ?? 'owner']: props.owner, gpu: value },
    },
    idSchema: { $id: 'root_gpu' },
    rawErrors: [],
    required: true,
    disabled: false,
  } as unknown as GpuFlavorPickerProps;
  return <GpuFlavorPicker {...fieldProps} />;
}

async function renderField(
  api: AiPlatformApi,
  props: Omit<Parameters<typeof Harness>[0], 'onChange'> = {},
) {
  const onChange = jest.fn();
  renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <Harness {...props} onChange={onChange} />
    </TestApiProvider>,
  );
  // Let the first render's effects settle, as the form's would.
  await act(async () => {});
  return { onChange };
}

const select = () => screen.getByRole('combobox', { name: /GPU flavor/ });

describe('GpuFlavorPicker', () => {
  it('asks for the owner first and calls nothing without one', async () => {
    const api = mockApi();
    await renderField(api);

    expect(
      screen.getByText(
        'Choose the owner (owner) first: the GPU quota depends on it.',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveAttribute('aria-disabled', 'true');
    expect(screen.queryByTestId('gpu-quota')).not.toBeInTheDocument();
    expect(api.getScaffolderOptions).not.toHaveBeenCalled();
  });

  it('shows the quota and use of the owner and lists each flavor with its GPU', async () => {
    const api = mockApi();
    const { onChange } = await renderField(api, {
      owner: 'group:default/ml-team',
    });

    expect(await screen.findByTestId('gpu-quota')).toHaveTextContent(
      'Quota 8 GPUs, 6 in use',
    );
    expect(api.getScaffolderOptions).toHaveBeenCalledWith(
      'group:default/ml-team',
    );

    await userEvent.click(select());
    const listbox = await screen.findByRole('listbox');
    const items = within(listbox).getAllByRole('option');
    expect(items.map(o => o.textContent)).toEqual([
      'a100-80gbnvidia.com/gpu · NVIDIA-A100-SXM4-80GB · 81920 MiB',
      'mig-1gnvidia.com/mig-1g.10gb',
    ]);

    await userEvent.click(items[0]);
    expect(onChange).toHaveBeenLastCalledWith('a100-80gb');
    await waitFor(() => expect(select()).toHaveTextContent('a100-80gb'));
  });

  it('reads the owner from the field named by ownerField', async () => {
    const api = mockApi();
    await renderField(api, {
      owner: 'group:default/web-team',
      ownerField: 'team',
      uiOptions: { ownerField: 'team' },
    });

    await screen.findByTestId('gpu-quota');
    expect(api.getScaffolderOptions).toHaveBeenCalledWith(
      'group:default/web-team',
    );
  });

  it('says when the quota is used up', async () => {
    const api = mockApi({ quota: 1, currentUse: 1 });
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(await screen.findByTestId('gpu-quota')).toHaveTextContent(
      'Quota 1 GPU, 1 in use (none left)',
    );
  });

  it('keeps a flavor that is configured', async () => {
    const kept = await renderField(mockApi(), {
      owner: 'group:default/ml-team',
      initial: 'mig-1g',
    });
    await screen.findByTestId('gpu-quota');
    expect(select()).toHaveTextContent('mig-1g');
    expect(kept.onChange).not.toHaveBeenCalled();
  });

  it('clears a flavor that is no longer configured', async () => {
    const { onChange } = await renderField(mockApi(), {
      owner: 'group:default/ml-team',
      initial: 'h100',
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(undefined));
  });

  it('says so when no flavor is configured', async () => {
    const api = mockApi({ flavors: [] });
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(
      await screen.findByText(
        'No GPU flavor is configured (aiPlatform.gpu.flavors).',
      ),
    ).toBeInTheDocument();
    expect(select()).toHaveAttribute('aria-disabled', 'true');
  });

  it('shows that it is loading', async () => {
    const api = mockApi();
    api.getScaffolderOptions.mockReturnValue(new Promise(() => {}));
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(
      screen.getByText(
        'Loading the GPU flavors and the quota of group:default/ml-team…',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows an error when the options cannot be fetched', async () => {
    const api = mockApi();
    api.getScaffolderOptions.mockRejectedValue(new Error('backend down'));
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(
      await screen.findByText(
        'Could not load the GPU flavors and quota of group:default/ml-team: backend down',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('gpu-quota')).not.toBeInTheDocument();
  });
});
