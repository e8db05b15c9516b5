import { Button, Group, Stepper } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  type CampaignDetail,
  type CampaignInput,
  changeCampaign,
  type DryRun,
  type TemplateSummary,
} from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { notifyDone } from '../../components/notify.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { DryRunStep, isDryRunPassed } from './DryRunStep.tsx';
import { ParamsStep } from './ParamsStep.tsx';
import { AudienceStep, ScheduleStep, SenderStep, TemplateStep } from './SetupSteps.tsx';
import { TestAndStartStep } from './TestAndStartStep.tsx';
import { bodyPlaceholders, templateKey } from './template-params.ts';
import { EMPTY_WIZARD, toCampaignInput, type WizardValues } from './wizard-form.ts';

const STEPS = ['Sender', 'Audience', 'Template', 'Parameters', 'Schedule', 'Dry run', 'Test and start'] as const;
const DRY_RUN_STEP = 5;
const LAST_STEP = STEPS.length - 1;

/** The campaign wizard: each step checked before the next, a dry run and a test before the start. */
export function NewCampaignPage() {
  const navigate = useNavigate();
  const [active, setActive] = useState(0);
  const [isConfirmed, setConfirmed] = useState(false);
  const [draft, setDraft] = useState<{ key: string; campaign: CampaignDetail } | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<WizardValues>({ initialValues: EMPTY_WIZARD });
  const templates = useQuery({
    queryKey: ['templates', form.values.sender],
    queryFn: () =>
      api<Page<TemplateSummary>>('GET', `/api/v1/templates?sender=${encodeURIComponent(form.values.sender)}`),
  });
  const template = templates.data?.data.find((t) => templateKey(t) === form.values.template);
  const input = toCampaignInput(form.values, template);
  const inputKey = JSON.stringify(input);
  const dryRun = useQuery({
    queryKey: ['dry-run', inputKey],
    queryFn: () => api<DryRun>('POST', '/api/v1/campaigns/dry-run', { json: input }),
    enabled: active >= DRY_RUN_STEP,
    retry: false,
  });

  // The fields a step needs before the next, with what to do about each.
  const fieldErrorsOf = (step: number): Record<string, string> => {
    const errors: Record<string, string> = {};
    if (step === 0 && form.values.name.trim() === '') errors.name = 'Give the campaign a name';
    if (step === 2 && !template) errors.template = 'Pick a template';
    if (step === 3) {
      for (const name of bodyPlaceholders(template))
        if (!form.values.params[name]?.trim()) errors[`params.${name}`] = 'Fill in this parameter';
    }
    if (step === 4 && Boolean(form.values.windowStart) !== Boolean(form.values.windowEnd))
      errors.windowEnd = 'Give both ends of the window, or neither';
    return errors;
  };

  const next = async () => {
    setError(null);
    const errors = fieldErrorsOf(active);
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (active === DRY_RUN_STEP && !isDryRunPassed(dryRun.data, isConfirmed)) {
      setError(
        dryRun.data
          ? 'The dry run must pass first: fix its errors, and confirm its warnings.'
          : dryRun.error
            ? 'The dry run failed: go back and fix what it says.'
            : 'Wait for the dry run to finish.',
      );
      return;
    }
    if (active === DRY_RUN_STEP) {
      setBusy(true);
      try {
        if (draft?.key !== inputKey) setDraft({ key: inputKey, campaign: await saveDraft(input, draft?.campaign) });
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return;
      } finally {
        setBusy(false);
      }
    }
    setActive((s) => Math.min(s + 1, LAST_STEP));
  };

  const start = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      await changeCampaign(draft.campaign.id, 'start');
      notifyDone(`“${draft.campaign.name}” started`);
      navigate(`/campaigns/${draft.campaign.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="New campaign"
        description="Each step is checked before the next; nothing is sent before the start."
      />
      <Stepper active={active} onStepClick={(step) => step < active && setActive(step)} size="sm" wrap>
        <Stepper.Step label={STEPS[0]}>
          <SenderStep form={form} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[1]}>
          <AudienceStep form={form} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[2]}>
          <TemplateStep form={form} templates={templates.data?.data ?? []} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[3]}>
          <ParamsStep form={form} template={template} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[4]}>
          <ScheduleStep form={form} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[5]}>
          <DryRunStep dryRun={dryRun.data} error={dryRun.error} isConfirmed={isConfirmed} onConfirm={setConfirmed} />
        </Stepper.Step>
        <Stepper.Step label={STEPS[6]}>
          {draft && (
            <TestAndStartStep
              draft={draft.campaign}
              isStarting={isBusy}
              onStart={() => void start()}
              onKeepSchedule={() => navigate(`/campaigns/${draft.campaign.id}`)}
            />
          )}
        </Stepper.Step>
      </Stepper>
      <FormError message={error} />
      <Group mt="lg">
        {active > 0 && (
          <Button variant="default" onClick={() => setActive((s) => s - 1)}>
            Back
          </Button>
        )}
        {active < LAST_STEP && (
          <Button onClick={() => void next()} loading={isBusy}>
            Next
          </Button>
        )}
      </Group>
    </>
  );
}

// The draft is saved as the dry run passes, so the test send has a campaign to render; a draft
// the person then changed is replaced (the old one cancelled, never sent).
async function saveDraft(input: CampaignInput, previous: CampaignDetail | undefined): Promise<CampaignDetail> {
  if (previous && (previous.status === 'draft' || previous.status === 'scheduled'))
    await changeCampaign(previous.id, 'cancel');
  return api<CampaignDetail>('POST', '/api/v1/campaigns', { json: input });
}
