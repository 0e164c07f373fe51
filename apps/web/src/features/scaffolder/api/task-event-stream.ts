import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { seg } from '../../../lib/api-client.ts';
import type { TaskEvent } from '../types.ts';

const EVENT_TYPES = ['log', 'step_start', 'step_end', 'status', 'recovered'] as const;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

/**
 * The task's events over server-sent events. The browser reconnects by itself and sends
 * Last-Event-ID, so the server resumes after the last event we saw; a stream we open again (after a
 * retry reopened the task) continues with ?after. Step and status events refresh the task query.
 */
export function useTaskEventStream(taskId: string, generation: number | null) {
  const qc = useQueryClient();
  const [events, setEvents] = useState<TaskEvent[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const lastId = useRef<string | null>(null);

  useEffect(() => {
    lastId.current = null;
    setEvents([]);
  }, [taskId]);

  useEffect(() => {
    // null: the task is not loaded yet (its attempt number decides when to open a new stream).
    if (generation === null) return;
    const after = lastId.current ? `?after=${lastId.current}` : '';
    const source = new EventSource(`/v1/scaffolder/tasks/${seg(taskId)}/eventstream${after}`);
    setState('connecting');
    const refreshTask = () => void qc.invalidateQueries({ queryKey: ['scaffolder', 'tasks', 'detail', taskId] });
    const onEvent = (message: MessageEvent<string>) => {
      let event: TaskEvent;
      try {
        event = JSON.parse(message.data) as TaskEvent;
      } catch {
        return;
      }
      if (lastId.current !== null && Number(event.id) <= Number(lastId.current)) return;
      lastId.current = event.id;
      setEvents((list) => [...list, event]);
      if (event.type !== 'log') refreshTask();
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent as EventListener);
    source.addEventListener('end', () => {
      source.close();
      setState('ended');
      refreshTask();
    });
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
    return () => source.close();
  }, [taskId, generation, qc]);

  return { events, state };
}
