import { useMutation } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.ts';

/** A one-time link (valid 24 hours) that signs the user in; shown to the admin to pass on. */
export const createSignInLink = async (id: string) => (await api<{ ok: true; url: string }>(`/v1/users/${seg(id)}/sign-in-link`, { method: 'POST' })).url;

export const useCreateSignInLink = () => useMutation({ mutationFn: createSignInLink });
