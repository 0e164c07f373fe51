import { createRoot } from 'react-dom/client';
import '@mantine/core/styles.css';
import './app/app.css';
import { App } from './app/app.tsx';

createRoot(document.getElementById('root')!).render(<App />);
