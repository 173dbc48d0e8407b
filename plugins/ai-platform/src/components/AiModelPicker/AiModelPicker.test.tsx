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
  AiModelPicker,
  AiModelPickerProps,
  AiModelPickerUiOptions,
} from './AiModelPicker';

const options = (
  owner: string,
  models: string[],
): ScaffolderOptionsResponse => ({
  owner,
  models,
  gpu: { flavors: [], quota: 0, currentUse: 0 },
});

const OPTIONS: Record<string, ScaffolderOptionsResponse> = {
  'group:default/ml-team': options('group:default/ml-team', [
    'gpt-4o-mini',
    'gpt-4o',
    'text-embedding-3-small',
  ]),
  'group:default/web-team': options('group:default/web-team', ['gpt-4o-mini']),
  'group:default/nobody': options('group:default/nobody', []),
};

function mockApi(): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    getScaffolderOptions: jest.fn(async (owner: string) => OPTIONS[owner]),
  });
}

/**
 * The field as the scaffolder renders it: the whole form's data in
 * `formContext.formData`, the field's own value kept in state. A button
 * switches the owner, like another field of the form would.
 */
function Harness(props: {
  owner?: string;
  nextOwner?: string;
  ownerField?: string;
  initial?: string | string[];
  uiOptions?: AiModelPickerUiOptions;
  type?: 'array' | 'string';
  onChange: jest.Mock;
}) {
  const [owner, setOwner] = useState(props.owner);
  const [value, setValue] = useState(props.initial);
  const fieldProps = {
    formData: value,
    onChange: (next: string | string[] | undefined) => {
      props.onChange(next);
      setValue(next);
    },
    schema: {
      title: 'Models',
      description: 'Models the service calls',
      type: props.type ?? 'array',
    },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    formContext: {
      formData: { [props.ownerField ?? 'owner']: owner, models: value },
    },
    idSchema: { $id: 'root_models' },
    rawErrors: [],
    required: false,
    disabled: false,
  } as unknown as AiModelPickerProps;
  return (
    <>
      <AiModelPicker {...fieldProps} />
      <button onClick={() => setOwner(props.nextOwner)}>switch owner</button>
      <output data-testid="value">{JSON.stringify(value ?? null)}</output>
    </>
  );
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

const input = () => screen.getByRole('combobox', { name: 'Models' });
const value = () => JSON.parse(screen.getByTestId('value').textContent!);

describe('AiModelPicker', () => {
  it('renders the array the form pads to minItems with undefined, without an owner', async () => {
    await renderField(mockApi(), {
      initial: [undefined] as unknown as string[],
    });
    expect(input()).toBeDisabled();
  });

  it('renders the array the form pads to minItems with undefined, with an owner', async () => {
    await renderField(mockApi(), {
      owner: 'group:default/ml-team',
      initial: [undefined] as unknown as string[],
    });
    await waitFor(() => expect(input()).toBeEnabled());
  });

  it('asks for the owner first and calls nothing without one', async () => {
    const api = mockApi();
    await renderField(api);

    expect(
      screen.getByText(
        'Choose the owner (owner) first: the models offered depend on it.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Models the service calls')).toBeInTheDocument();
    expect(input()).toBeDisabled();
    expect(api.getScaffolderOptions).not.toHaveBeenCalled();
  });

  it('offers only the models the owner may use, and picks several', async () => {
    const api = mockApi();
    const { onChange } = await renderField(api, {
      owner: 'group:default/ml-team',
    });

    await waitFor(() => expect(input()).toBeEnabled());
    expect(api.getScaffolderOptions).toHaveBeenCalledWith(
      'group:default/ml-team',
    );

    await userEvent.click(input());
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']);
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'gpt-4o' }),
    );
    expect(onChange).toHaveBeenLastCalledWith(['gpt-4o']);

    await userEvent.click(input());
    await userEvent.click(
      await screen.findByRole('option', { name: 'gpt-4o-mini' }),
    );
    expect(onChange).toHaveBeenLastCalledWith(['gpt-4o', 'gpt-4o-mini']);
    expect(value()).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('picks one model as a string with multiple: false', async () => {
    const api = mockApi();
    const { onChange } = await renderField(api, {
      owner: 'group:default/ml-team',
      uiOptions: { multiple: false },
    });

    await waitFor(() => expect(input()).toBeEnabled());
    await userEvent.click(input());
    await userEvent.click(
      await screen.findByRole('option', { name: 'text-embedding-3-small' }),
    );
    expect(onChange).toHaveBeenLastCalledWith('text-embedding-3-small');
    expect(input()).toHaveValue('text-embedding-3-small');
  });

  it('picks one model when the field is a string, without multiple', async () => {
    const api = mockApi();
    const { onChange } = await renderField(api, {
      owner: 'group:default/ml-team',
      type: 'string',
    });

    await waitFor(() => expect(input()).toBeEnabled());
    await userEvent.click(input());
    await userEvent.click(
      await screen.findByRole('option', { name: 'gpt-4o' }),
    );
    expect(onChange).toHaveBeenLastCalledWith('gpt-4o');
  });

  it('reads the owner from the field named by ownerField', async () => {
    const api = mockApi();
    await renderField(api, {
      owner: 'group:default/web-team',
      ownerField: 'team',
      uiOptions: { ownerField: 'team' },
    });

    await waitFor(() =>
      expect(api.getScaffolderOptions).toHaveBeenCalledWith(
        'group:default/web-team',
      ),
    );
    await waitFor(() => expect(input()).toBeEnabled());
  });

  it('asks for the owner field it is told to read', async () => {
    const api = mockApi();
    await renderField(api, {
      owner: 'group:default/web-team',
      uiOptions: { ownerField: 'team' },
    });

    expect(
      screen.getByText(
        'Choose the owner (team) first: the models offered depend on it.',
      ),
    ).toBeInTheDocument();
    expect(api.getScaffolderOptions).not.toHaveBeenCalled();
  });

  it('drops the models the new owner may not use when the owner changes', async () => {
    const api = mockApi();
    const { onChange } = await renderField(api, {
      owner: 'group:default/ml-team',
      nextOwner: 'group:default/web-team',
      initial: ['gpt-4o', 'gpt-4o-mini'],
    });

    await waitFor(() => expect(input()).toBeEnabled());
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'switch owner' }));
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(['gpt-4o-mini']));
    expect(value()).toEqual(['gpt-4o-mini']);
    expect(api.getScaffolderOptions).toHaveBeenLastCalledWith(
      'group:default/web-team',
    );
  });

  it('says so when the owner may use no model', async () => {
    const api = mockApi();
    await renderField(api, { owner: 'group:default/nobody' });

    expect(
      await screen.findByText(
        'group:default/nobody may use no model through the gateway.',
      ),
    ).toBeInTheDocument();
    expect(input()).toBeDisabled();
  });

  it('shows that it is loading', async () => {
    const api = mockApi();
    api.getScaffolderOptions.mockReturnValue(new Promise(() => {}));
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(
      screen.getByText('Loading the models group:default/ml-team may use…'),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(input()).toBeDisabled();
  });

  it('shows an error when the options cannot be fetched', async () => {
    const api = mockApi();
    api.getScaffolderOptions.mockRejectedValue(new Error('backend down'));
    await renderField(api, { owner: 'group:default/ml-team' });

    expect(
      await screen.findByText(
        'Could not load the models group:default/ml-team may use: backend down',
      ),
    ).toBeInTheDocument();
    expect(input()).toBeDisabled();
  });
});
