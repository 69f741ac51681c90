/** Pages under /app/ (the gateway answers index.html for any of them). */
import { createRouter, createWebHistory } from 'vue-router';
import CoursePage from './pages/CoursePage.vue';
import CoursesPage from './pages/CoursesPage.vue';
import LeavePage from './pages/LeavePage.vue';
import SignInPage from './pages/SignInPage.vue';
import WeekPage from './pages/WeekPage.vue';
import { token } from './session';

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'courses', component: CoursesPage },
    { path: '/courses/:id', name: 'course', component: CoursePage, props: true },
    { path: '/week', name: 'week', component: WeekPage },
    { path: '/leave', name: 'leave', component: LeavePage },
    { path: '/sign-in', name: 'sign-in', component: SignInPage, meta: { public: true } },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.public && !token.value) return { name: 'sign-in', query: { next: to.fullPath } };
});
