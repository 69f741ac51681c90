import { createApp } from 'vue';
import App from './App.vue';
import { focusPageOnNavigation } from './page-focus';
import { router } from './router';
import './styles.css';

focusPageOnNavigation(router);
createApp(App).use(router).mount('#app');
